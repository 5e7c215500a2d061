//! Client records on a real PostgreSQL: field validation, caseload rules per role, status history.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use common::{create, input, staff, today};

use app::auth::server::{CurrentUser, RequestMeta};
use app::auth::types::Role;
use app::clients::server::service::{self as clients, NewClient};
use app::clients::types::{ClientInput, ClientQuery, ClientStatus};
use app::error::AppError;
use app::ids::ClientId;
use chrono::NaiveDate;
use sqlx::PgPool;

async fn names(pool: &PgPool, user: &CurrentUser, q: &str) -> Vec<String> {
    let query = ClientQuery {
        q: q.into(),
        ..Default::default()
    };
    let page = clients::search(pool, user, &RequestMeta::default(), &query)
        .await
        .unwrap();
    page.rows.into_iter().map(|r| r.legal_last_name).collect()
}

#[test]
fn every_bad_field_gets_its_own_message() {
    let bad = ClientInput {
        legal_first_name: " ".into(),
        legal_last_name: "x".repeat(81),
        date_of_birth: "2030-01-01".into(),
        sex_assigned_at_birth: "robot".into(),
        phone_mobile: "555-1234".into(),
        phone_home: "(055) 234-5678".into(),
        email: "not-an-email".into(),
        state: "XX".into(),
        zip: "1234".into(),
        status: "asleep".into(),
        primary_clinician_id: "someone".into(),
        preferred_contact: "pigeon".into(),
        ..Default::default()
    };
    let err = NewClient::parse(&bad, today()).unwrap_err();
    for field in [
        "legal_first_name",
        "legal_last_name",
        "date_of_birth",
        "sex_assigned_at_birth",
        "phone_mobile",
        "phone_home",
        "email",
        "state",
        "zip",
        "status",
        "primary_clinician_id",
        "preferred_contact",
    ] {
        assert!(
            err.field_messages(field).is_some(),
            "{field} should be reported: {err:?}"
        );
    }
    assert!(err.field_messages("date_of_birth").unwrap()[0].contains("future"));
    assert!(err.field_messages("zip").unwrap()[0].contains("5 digits"));

    let mut consent = input("Ann", "Lee");
    consent.sms_consent = Some("on".into());
    consent.preferred_contact = "email".into();
    let err = NewClient::parse(&consent, today()).unwrap_err();
    assert!(err.field_messages("sms_consent").unwrap()[0].contains("mobile"));
    assert!(err.field_messages("preferred_contact").unwrap()[0].contains("consent"));
}

#[sqlx::test(migrations = "../migrations")]
async fn front_desk_creates_and_the_record_keeps_its_history(pool: PgPool) {
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let mut full = input("Ann", "Carter");
    full.phone_mobile = "(312) 555-0142".into();
    full.sms_consent = Some("on".into());
    full.email = "Ann.Carter@Example.com".into();
    full.state = "il".into();
    full.zip = "60614".into();
    let id = create(&pool, &desk, full, None).await;

    let chart = clients::chart(&pool, &desk, &RequestMeta::default(), id)
        .await
        .unwrap();
    assert_eq!(chart.client.phone_mobile.as_deref(), Some("+13125550142"));
    assert_eq!(
        chart.client.email.as_deref(),
        Some("ann.carter@example.com")
    );
    assert_eq!(chart.client.state.as_deref(), Some("IL"));
    assert!(chart.client.chart_number.starts_with('C'));
    assert_eq!(chart.history.len(), 1);

    let discharge =
        clients::change_status(&pool, &desk, &RequestMeta::default(), id, "discharged", " ").await;
    assert!(discharge.unwrap_err().field_messages("reason").is_some());
    clients::change_status(&pool, &desk, &RequestMeta::default(), id, "active", "")
        .await
        .unwrap();
    clients::change_status(
        &pool,
        &desk,
        &RequestMeta::default(),
        id,
        "discharged",
        "Completed treatment",
    )
    .await
    .unwrap();
    let chart = clients::chart(&pool, &desk, &RequestMeta::default(), id)
        .await
        .unwrap();
    assert_eq!(chart.client.status, ClientStatus::Discharged);
    let steps: Vec<_> = chart
        .history
        .iter()
        .map(|h| (h.from_status, h.to_status))
        .collect();
    assert_eq!(
        steps,
        [
            (Some(ClientStatus::Active), ClientStatus::Discharged),
            (Some(ClientStatus::Inquiry), ClientStatus::Active),
            (None, ClientStatus::Inquiry),
        ]
    );
    assert_eq!(
        chart.history[0].reason.as_deref(),
        Some("Completed treatment")
    );

    let audited: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_events WHERE client_id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        audited, 5,
        "the create, two status changes and two chart opens"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_database_refuses_a_discharge_without_reason(pool: PgPool) {
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let id = create(&pool, &desk, input("Ann", "Lee"), None).await;
    let raw = sqlx::query(
        "INSERT INTO client_status_history (client_id, to_status) VALUES ($1, 'discharged')",
    )
    .bind(id)
    .execute(&pool)
    .await;
    assert!(raw.is_err());
}

#[sqlx::test(migrations = "../migrations")]
async fn each_role_sees_what_it_may(pool: PgPool) {
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let biller = staff(&pool, "biller@example.com", Role::Biller).await;
    let admin = staff(&pool, "admin@example.com", Role::Admin).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    let other = staff(&pool, "other@example.com", Role::Clinician).await;
    let intern = staff(&pool, "intern@example.com", Role::Intern).await;
    let sup = staff(&pool, "sup@example.com", Role::Supervisor).await;
    sqlx::query("INSERT INTO staff_profiles (user_id, supervisor_id) VALUES ($1, $2)")
        .bind(intern.id)
        .bind(sup.id)
        .execute(&pool)
        .await
        .unwrap();

    let a = create(&pool, &desk, input("Ann", "Abbott"), Some(&casey)).await;
    let b = create(&pool, &desk, input("Bo", "Baker"), Some(&other)).await;
    let c = create(&pool, &desk, input("Cy", "Chen"), Some(&intern)).await;
    // Casey is on Chen's care team too
    sqlx::query("INSERT INTO client_care_team (client_id, user_id) VALUES ($1, $2)")
        .bind(c)
        .bind(casey.id)
        .execute(&pool)
        .await
        .unwrap();

    for everyone in [&desk, &biller, &admin] {
        assert_eq!(
            names(&pool, everyone, "").await,
            ["Abbott", "Baker", "Chen"]
        );
    }
    assert_eq!(names(&pool, &casey, "").await, ["Abbott", "Chen"]);
    assert_eq!(names(&pool, &other, "").await, ["Baker"]);
    assert_eq!(names(&pool, &intern, "").await, ["Chen"]);
    assert_eq!(
        names(&pool, &sup, "").await,
        ["Chen"],
        "a supervisor sees the supervisee's caseload"
    );

    let meta = RequestMeta::default();
    assert!(clients::chart(&pool, &casey, &meta, a).await.is_ok());
    assert_eq!(
        clients::chart(&pool, &casey, &meta, b).await.unwrap_err(),
        AppError::NotFound
    );
    assert_eq!(
        clients::chart(&pool, &sup, &meta, b).await.unwrap_err(),
        AppError::NotFound
    );
    let denied: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'clients.view' AND outcome = 'denied'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(denied, 2);

    // only admin and front desk write
    for reader in [&biller, &casey, &sup] {
        let err = clients::create(&pool, reader, &meta, &input("Di", "Diaz"), today())
            .await
            .unwrap_err();
        assert_eq!(err, AppError::Forbidden);
        assert_eq!(
            clients::change_status(&pool, reader, &meta, a, "active", "")
                .await
                .unwrap_err(),
            AppError::Forbidden
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn search_tolerates_typos_and_finds_by_every_key(pool: PgPool) {
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let mut ann = input("Ann", "Smith");
    ann.phone_mobile = "312-555-0100".into();
    ann.email = "ann@example.com".into();
    ann.date_of_birth = "1985-02-14".into();
    create(&pool, &desk, ann, None).await;
    create(&pool, &desk, input("Bo", "Carter"), None).await;
    let chart_no: String =
        sqlx::query_scalar("SELECT chart_number FROM clients WHERE legal_last_name = 'Carter'")
            .fetch_one(&pool)
            .await
            .unwrap();

    assert_eq!(names(&pool, &desk, "smtih").await, ["Smith"]);
    assert_eq!(names(&pool, &desk, "ann smi").await, ["Smith"]);
    assert_eq!(names(&pool, &desk, "02/14/1985").await, ["Smith"]);
    assert_eq!(names(&pool, &desk, "(312) 555-0100").await, ["Smith"]);
    assert_eq!(names(&pool, &desk, "ANN@example.com").await, ["Smith"]);
    assert_eq!(
        names(&pool, &desk, &chart_no.to_lowercase()).await,
        ["Carter"]
    );
    assert!(names(&pool, &desk, "zzzz").await.is_empty());
}

mod diagnoses {
    use super::*;
    use app::clients::server::diagnoses as dx;

    #[sqlx::test(migrations = "../migrations")]
    async fn the_code_list_is_searchable_by_code_words_and_typos(pool: PgPool) {
        let codes = |q: &'static str| {
            let pool = pool.clone();
            async move {
                dx::search_codes(&pool, q)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|c| c.code)
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(
            codes("F41.1").await.first().map(String::as_str),
            Some("F41.1")
        );
        assert!(codes("generalized anxiety")
            .await
            .contains(&"F41.1".to_owned()));
        assert!(
            codes("anxeity").await.iter().any(|c| c.starts_with("F41")),
            "a typo still finds anxiety"
        );
        assert!(codes("partner").await.contains(&"Z63.0".to_owned()));
        assert!(
            !codes("F32").await.contains(&"F32".to_owned()),
            "categories are not offered"
        );
        let total: i64 = sqlx::query_scalar("SELECT count(*) FROM icd10_codes")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(total > 1000);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn clinicians_add_and_resolve_billers_see_codes_only(pool: PgPool) {
        let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
        let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
        let other = staff(&pool, "other@example.com", Role::Clinician).await;
        let biller = staff(&pool, "biller@example.com", Role::Biller).await;
        let id = create(&pool, &desk, input("Ann", "Lee"), Some(&casey)).await;
        let meta = RequestMeta::default();

        let bad = dx::add(
            &pool,
            &casey,
            &meta,
            dx::DiagnosisInput {
                client: id,
                code: "F32",
                kind: "primary",
                onset: "13/01/2026",
            },
            today(),
        )
        .await
        .unwrap_err();
        assert!(bad.field_messages("onset_on").is_some());
        let category = dx::add(
            &pool,
            &casey,
            &meta,
            dx::DiagnosisInput {
                client: id,
                code: "F32",
                kind: "primary",
                onset: "",
            },
            today(),
        )
        .await
        .unwrap_err();
        assert!(category.field_messages("code").unwrap()[0].contains("more specific"));
        let unknown = dx::add(
            &pool,
            &casey,
            &meta,
            dx::DiagnosisInput {
                client: id,
                code: "Q99.9",
                kind: "primary",
                onset: "",
            },
            today(),
        )
        .await
        .unwrap_err();
        assert!(unknown.field_messages("code").unwrap()[0].contains("not an ICD-10-CM code"));

        let primary = dx::add(
            &pool,
            &casey,
            &meta,
            dx::DiagnosisInput {
                client: id,
                code: "f41.1",
                kind: "primary",
                onset: "03/01/2026",
            },
            today(),
        )
        .await
        .unwrap();
        let second_primary = dx::add(
            &pool,
            &casey,
            &meta,
            dx::DiagnosisInput {
                client: id,
                code: "F32.A",
                kind: "primary",
                onset: "",
            },
            today(),
        )
        .await
        .unwrap_err();
        assert!(second_primary.field_messages("kind").unwrap()[0]
            .contains("already has a current primary"));
        dx::add(
            &pool,
            &casey,
            &meta,
            dx::DiagnosisInput {
                client: id,
                code: "F32.A",
                kind: "secondary",
                onset: "",
            },
            today(),
        )
        .await
        .unwrap();
        let twice = dx::add(
            &pool,
            &casey,
            &meta,
            dx::DiagnosisInput {
                client: id,
                code: "F32.A",
                kind: "rule_out",
                onset: "",
            },
            today(),
        )
        .await
        .unwrap_err();
        assert!(twice.field_messages("code").is_some());

        let early = dx::resolve(&pool, &casey, &meta, primary, "02/01/2026", today())
            .await
            .unwrap_err();
        assert!(
            early.field_messages("resolved_on").is_some(),
            "before the onset"
        );
        dx::resolve(&pool, &casey, &meta, primary, "11/01/2026", today())
            .await
            .unwrap();

        let seen = dx::list(&pool, &casey, &meta, id).await.unwrap();
        assert!(seen.can_edit);
        assert_eq!(seen.diagnoses.len(), 2);
        assert_eq!(seen.diagnoses[0].code, "F32.A", "current ones first");
        assert_eq!(
            seen.diagnoses[1].resolved_on,
            NaiveDate::from_ymd_opt(2026, 11, 1)
        );

        let billing = dx::list(&pool, &biller, &meta, id).await.unwrap();
        assert!(!billing.can_edit);
        assert!(
            billing.diagnoses.iter().all(|d| d.description.is_none()),
            "codes only"
        );
        assert_eq!(
            dx::add(
                &pool,
                &biller,
                &meta,
                dx::DiagnosisInput {
                    client: id,
                    code: "F43.10",
                    kind: "secondary",
                    onset: ""
                },
                today()
            )
            .await
            .unwrap_err(),
            AppError::Forbidden
        );

        assert_eq!(
            dx::list(&pool, &desk, &meta, id).await.unwrap_err(),
            AppError::Forbidden
        );
        assert_eq!(
            dx::list(&pool, &other, &meta, id).await.unwrap_err(),
            AppError::NotFound
        );
        assert_eq!(
            dx::add(
                &pool,
                &other,
                &meta,
                dx::DiagnosisInput {
                    client: id,
                    code: "F43.10",
                    kind: "secondary",
                    onset: ""
                },
                today()
            )
            .await
            .unwrap_err(),
            AppError::NotFound
        );
        // a refusal is audited, not rolled back with the refused write
        let denied: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM audit_events WHERE action = 'clients.diagnosis_add' AND outcome = 'denied'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(denied, 1);
    }
}

mod contacts {
    use super::*;
    use app::clients::server::contacts as ct;
    use app::clients::types::ContactInput;

    #[sqlx::test(migrations = "../migrations")]
    async fn front_desk_adds_contacts_that_the_caseload_can_read(pool: PgPool) {
        let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
        let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
        let other = staff(&pool, "other@example.com", Role::Clinician).await;
        let id = create(&pool, &desk, input("Ann", "Lee"), Some(&casey)).await;
        let meta = RequestMeta::default();

        let empty = ct::add(&pool, &desk, &meta, id, &ContactInput::default())
            .await
            .unwrap_err();
        for field in ["kind", "name", "relationship", "phone"] {
            assert!(empty.field_messages(field).is_some(), "{field}");
        }
        let bad_phone = ContactInput {
            kind: "emergency".into(),
            name: "Ray Lee".into(),
            relationship: "Father".into(),
            phone: "12345".into(),
            ..Default::default()
        };
        assert!(ct::add(&pool, &desk, &meta, id, &bad_phone)
            .await
            .unwrap_err()
            .field_messages("phone")
            .is_some());

        let good = ContactInput {
            phone: "(312) 555-0177".into(),
            may_receive_info: Some("on".into()),
            ..bad_phone
        };
        ct::add(&pool, &desk, &meta, id, &good).await.unwrap();
        assert_eq!(
            ct::add(&pool, &casey, &meta, id, &good).await.unwrap_err(),
            AppError::Forbidden
        );

        let seen = ct::list(&pool, &casey, &meta, id).await.unwrap();
        assert!(!seen.can_edit);
        assert_eq!(seen.contacts.len(), 1);
        assert_eq!(seen.contacts[0].phone.as_deref(), Some("+13125550177"));
        assert!(seen.contacts[0].may_receive_info);
        assert_eq!(
            ct::list(&pool, &other, &meta, id).await.unwrap_err(),
            AppError::NotFound
        );

        let missing = ClientId(uuid::Uuid::new_v4());
        assert_eq!(
            ct::add(&pool, &desk, &meta, missing, &good)
                .await
                .unwrap_err(),
            AppError::NotFound
        );
    }
}

mod flags {
    use super::*;
    use app::clients::server::flags as fl;

    #[sqlx::test(migrations = "../migrations")]
    async fn clinical_alerts_stay_with_clinical_staff(pool: PgPool) {
        let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
        let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
        let biller = staff(&pool, "biller@example.com", Role::Biller).await;
        let id = create(&pool, &desk, input("Ann", "Lee"), Some(&casey)).await;
        let meta = RequestMeta::default();

        let empty = fl::add(&pool, &casey, &meta, id, "clinical_risk", "loud", " ")
            .await
            .unwrap_err();
        assert!(
            empty.field_messages("severity").is_some() && empty.field_messages("text").is_some()
        );
        fl::add(
            &pool,
            &casey,
            &meta,
            id,
            "clinical_risk",
            "critical",
            "Safety plan on file",
        )
        .await
        .unwrap();
        fl::add(
            &pool,
            &biller,
            &meta,
            id,
            "billing",
            "warning",
            "Balance due",
        )
        .await
        .unwrap();
        fl::add(
            &pool,
            &desk,
            &meta,
            id,
            "administrative",
            "info",
            "Prefers afternoons",
        )
        .await
        .unwrap();
        assert_eq!(
            fl::add(&pool, &biller, &meta, id, "clinical_risk", "info", "x")
                .await
                .unwrap_err(),
            AppError::Forbidden
        );
        assert_eq!(
            fl::add(&pool, &desk, &meta, id, "clinical_risk", "info", "x")
                .await
                .unwrap_err(),
            AppError::Forbidden
        );
        assert_eq!(
            fl::add(&pool, &casey, &meta, id, "administrative", "info", "x")
                .await
                .unwrap_err(),
            AppError::Forbidden
        );

        let categories = |list: app::clients::types::FlagList| {
            list.flags
                .into_iter()
                .map(|f| f.category)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            categories(fl::list(&pool, &casey, &meta, id).await.unwrap()),
            ["clinical_risk", "billing", "administrative"]
        );
        assert_eq!(
            categories(fl::list(&pool, &biller, &meta, id).await.unwrap()),
            ["billing", "administrative"]
        );
        assert_eq!(
            categories(fl::list(&pool, &desk, &meta, id).await.unwrap()),
            ["billing", "administrative"]
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_list_filters_by_clinician_and_sorts(pool: PgPool) {
    use app::clients::types::ClientSort;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let casey = staff(&pool, "casey@example.com", Role::Clinician).await;
    create(&pool, &desk, input("Cy", "Chen"), Some(&casey)).await;
    create(&pool, &desk, input("Bo", "Baker"), None).await;
    create(&pool, &desk, input("Al", "Abbott"), Some(&casey)).await;
    let list = |query: ClientQuery| {
        let (pool, desk) = (pool.clone(), desk.clone());
        async move {
            let page = clients::search(&pool, &desk, &RequestMeta::default(), &query)
                .await
                .unwrap();
            page.rows
                .into_iter()
                .map(|r| r.legal_last_name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        list(ClientQuery::default()).await,
        ["Abbott", "Baker", "Chen"]
    );
    assert_eq!(
        list(ClientQuery {
            sort: ClientSort::ChartNumber,
            ..Default::default()
        })
        .await,
        ["Chen", "Baker", "Abbott"]
    );
    assert_eq!(
        list(ClientQuery {
            sort: ClientSort::Newest,
            ..Default::default()
        })
        .await,
        ["Abbott", "Baker", "Chen"]
    );
    assert_eq!(
        list(ClientQuery {
            clinician_id: Some(casey.id),
            ..Default::default()
        })
        .await,
        ["Abbott", "Chen"]
    );

    let options = clients::clinician_options(&pool, &desk).await.unwrap();
    assert_eq!(options.iter().map(|o| o.id).collect::<Vec<_>>(), [casey.id]);
    assert_eq!(
        clients::clinician_options(&pool, &casey).await.unwrap_err(),
        AppError::Forbidden
    );
}
