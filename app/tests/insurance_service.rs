//! Insurance on a real PostgreSQL: field validation, one active policy per priority, prior
//! authorizations, who may read and write, and the audit of each.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::types::Role;
use app::clients::server::insurance;
use app::clients::server::insurance_repo::{NewPolicy, NewPriorAuth};
use app::clients::types::{PolicyInput, PriorAuthInput};
use app::error::AppError;
use app::ids::{ClientId, PayerId};
use app::money::Money;
use common::{audit_actions, create, input, meta, staff, today};
use sqlx::PgPool;

async fn payer(pool: &PgPool, name: &str, code: &str) -> PayerId {
    app::settings::server::repo::insert_payer(&mut pool.acquire().await.unwrap(), name, code)
        .await
        .unwrap()
}

fn policy(payer: PayerId, priority: &str) -> PolicyInput {
    PolicyInput {
        payer_id: payer.to_string(),
        priority: priority.into(),
        member_id: "xyz-123456".into(),
        group_number: "g100".into(),
        subscriber_relationship: "self".into(),
        coverage_start: "01/01/2026".into(),
        copay: "$25".into(),
        deductible: "1,500.00".into(),
        ..Default::default()
    }
}

#[test]
fn every_bad_policy_field_gets_its_own_message() {
    let bad = PolicyInput {
        payer_id: "not-a-payer".into(),
        priority: "tertiary".into(),
        member_id: "x".into(),
        group_number: "G 1".into(),
        subscriber_relationship: "spouse".into(),
        subscriber_name: "".into(),
        subscriber_dob: "2030-01-01".into(),
        coverage_start: "13/01/2026".into(),
        coverage_end: "".into(),
        copay: "-5".into(),
        deductible: "12.345".into(),
    };
    let err = NewPolicy::parse(&bad, today()).unwrap_err();
    let message = |f: &str| {
        err.field_messages(f)
            .unwrap_or_else(|| panic!("{f} should be reported: {err:?}"))[0]
            .clone()
    };
    assert!(message("payer_id").contains("Choose a payer"));
    assert!(message("priority").contains("listed options"));
    assert!(message("member_id").contains("at least 2"));
    assert!(message("group_number").contains("only letters"));
    assert!(message("subscriber_name").contains("subscriber's name"));
    assert!(message("subscriber_dob").contains("future"));
    assert!(message("coverage_start").contains("MM/DD/YYYY"));
    assert!(message("copay").contains("negative"));
    assert!(message("deductible").contains("two digits"));

    let mut backwards = policy(PayerId(uuid::Uuid::nil()), "primary");
    backwards.coverage_end = "12/31/2025".into();
    let err = NewPolicy::parse(&backwards, today()).unwrap_err();
    assert!(err.field_messages("coverage_end").unwrap()[0].contains("before it starts"));

    let auth = PriorAuthInput {
        auth_number: "A!".into(),
        visits_authorized: "0".into(),
        visits_used: "x".into(),
        start_on: "03/01/2026".into(),
        end_on: "02/01/2026".into(),
    };
    let err = NewPriorAuth::parse(&auth).unwrap_err();
    for f in ["auth_number", "visits_authorized", "visits_used", "end_on"] {
        assert!(err.field_messages(f).is_some(), "{f}: {err:?}");
    }
    let over = PriorAuthInput {
        auth_number: "PA-1".into(),
        visits_authorized: "10".into(),
        visits_used: "11".into(),
        start_on: "01/01/2026".into(),
        end_on: "12/31/2026".into(),
    };
    let err = NewPriorAuth::parse(&over).unwrap_err();
    assert!(err.field_messages("visits_used").unwrap()[0].contains("More visits used"));
}

#[sqlx::test(migrations = "../migrations")]
async fn front_desk_adds_policies_one_active_per_priority(pool: PgPool) {
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let bcbs = payer(&pool, "Blue Cross Blue Shield of Illinois", "BCBSI").await;
    let aetna = payer(&pool, "Aetna", "60054").await;
    let client = create(&pool, &desk, input("Ann", "Carter"), None).await;

    let first = insurance::add_policy(
        &pool,
        &desk,
        &meta(),
        client,
        &policy(bcbs, "primary"),
        today(),
    )
    .await
    .unwrap();
    // a second active primary is refused with a sentence next to the priority field
    let err = insurance::add_policy(
        &pool,
        &desk,
        &meta(),
        client,
        &policy(aetna, "primary"),
        today(),
    )
    .await
    .unwrap_err();
    assert!(err.field_messages("priority").unwrap()[0].contains("already has an active policy"));
    let mut spouse = policy(aetna, "secondary");
    spouse.subscriber_relationship = "spouse".into();
    spouse.subscriber_name = "Ray Carter".into();
    spouse.subscriber_dob = "02/14/1988".into();
    insurance::add_policy(&pool, &desk, &meta(), client, &spouse, today())
        .await
        .unwrap();

    // ending the primary frees the slot; the ended policy stays on the chart
    insurance::end_policy(&pool, &desk, &meta(), first, "06/30/2026")
        .await
        .unwrap();
    let err = insurance::end_policy(&pool, &desk, &meta(), first, "06/30/2026")
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)));
    insurance::add_policy(
        &pool,
        &desk,
        &meta(),
        client,
        &policy(aetna, "primary"),
        today(),
    )
    .await
    .unwrap();

    let list = insurance::list(&pool, &desk, &meta(), client)
        .await
        .unwrap();
    assert!(list.can_edit);
    assert_eq!(list.policies.len(), 3);
    let ended = list.policies.iter().find(|p| p.id == first).unwrap();
    assert!(!ended.active);
    assert_eq!(ended.coverage_end.unwrap().to_string(), "2026-06-30");
    let secondary = list
        .policies
        .iter()
        .find(|p| p.priority == "secondary")
        .unwrap();
    assert_eq!(secondary.subscriber_name.as_deref(), Some("Ray Carter"));
    assert_eq!(secondary.copay, Money(2500));
    assert_eq!(secondary.deductible, Money(150_000));
    assert_eq!(secondary.member_id, "XYZ-123456");

    let actions = audit_actions(&pool).await;
    assert_eq!(
        actions
            .iter()
            .filter(|a| *a == "clients.policy_add")
            .count(),
        3
    );
    assert!(actions.contains(&"clients.policy_end".to_owned()));
    assert!(actions.contains(&"clients.insurance_view".to_owned()));
}

#[sqlx::test(migrations = "../migrations")]
async fn prior_authorizations_count_visits_and_belong_to_active_policies(pool: PgPool) {
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let bcbs = payer(&pool, "Blue Cross", "BCBSI").await;
    let client = create(&pool, &desk, input("Ann", "Carter"), None).await;
    let id = insurance::add_policy(
        &pool,
        &desk,
        &meta(),
        client,
        &policy(bcbs, "primary"),
        today(),
    )
    .await
    .unwrap();
    let auth = PriorAuthInput {
        auth_number: "pa-2026-001".into(),
        visits_authorized: "12".into(),
        visits_used: "10".into(),
        start_on: "01/01/2026".into(),
        end_on: "12/31/2026".into(),
    };
    insurance::add_prior_auth(&pool, &desk, &meta(), id, &auth)
        .await
        .unwrap();
    let err = insurance::add_prior_auth(&pool, &desk, &meta(), id, &auth)
        .await
        .unwrap_err();
    assert!(err.field_messages("auth_number").unwrap()[0].contains("already recorded"));

    let list = insurance::list(&pool, &desk, &meta(), client)
        .await
        .unwrap();
    let a = &list.policies[0].prior_auths[0];
    assert_eq!(a.auth_number, "PA-2026-001");
    assert_eq!(a.visits_left(), 2);
    assert_eq!(a.warning(today()).unwrap(), "Only 2 visits left.");

    // the database refuses more visits used than authorized, whatever the caller
    let raw = sqlx::query("UPDATE prior_authorizations SET visits_used = 13")
        .execute(&pool)
        .await;
    assert!(raw.is_err());

    insurance::end_policy(&pool, &desk, &meta(), id, "11/30/2026")
        .await
        .unwrap();
    let err = insurance::add_prior_auth(
        &pool,
        &desk,
        &meta(),
        id,
        &PriorAuthInput {
            auth_number: "PA-2".into(),
            ..auth
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)));
}

#[sqlx::test(migrations = "../migrations")]
async fn who_reads_and_writes_insurance(pool: PgPool) {
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let biller = staff(&pool, "biller@example.com", Role::Biller).await;
    let mine = staff(&pool, "mine@example.com", Role::Clinician).await;
    let other = staff(&pool, "other@example.com", Role::Clinician).await;
    let bcbs = payer(&pool, "Blue Cross", "BCBSI").await;
    let client: ClientId = create(&pool, &desk, input("Ann", "Carter"), Some(&mine)).await;
    insurance::add_policy(
        &pool,
        &desk,
        &meta(),
        client,
        &policy(bcbs, "primary"),
        today(),
    )
    .await
    .unwrap();

    // billers read every client's insurance, but do not change it
    let list = insurance::list(&pool, &biller, &meta(), client)
        .await
        .unwrap();
    assert_eq!(list.policies.len(), 1);
    assert!(!list.can_edit);
    let err = insurance::add_policy(
        &pool,
        &biller,
        &meta(),
        client,
        &policy(bcbs, "secondary"),
        today(),
    )
    .await
    .unwrap_err();
    assert_eq!(err, AppError::Forbidden);

    // the clinician of the caseload reads it; another clinician finds no such client
    assert_eq!(
        insurance::list(&pool, &mine, &meta(), client)
            .await
            .unwrap()
            .policies
            .len(),
        1
    );
    assert_eq!(
        insurance::list(&pool, &other, &meta(), client)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    let denied: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'clients.insurance_view' AND outcome = 'denied'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(denied, 1);

    // a payer taken off the list cannot be chosen for a new policy
    sqlx::query("UPDATE payers SET active = false")
        .execute(&pool)
        .await
        .unwrap();
    let err = insurance::add_policy(
        &pool,
        &desk,
        &meta(),
        client,
        &policy(bcbs, "secondary"),
        today(),
    )
    .await
    .unwrap_err();
    assert!(err.field_messages("payer_id").unwrap()[0].contains("active payer"));
}
