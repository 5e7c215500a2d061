//! Changing client records on a real PostgreSQL: demographics, the care team (which opens the chart
//! to its members), merging duplicates with both histories kept, and the activity history.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::types::Role;
use app::clients::server::insurance;
use app::clients::server::{activity, record, service as clients};
use app::clients::types::{ClientQuery, ContactInput, PolicyInput};
use app::error::AppError;
use common::{create, input, meta, staff, today};
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn front_desk_updates_demographics_with_the_same_checks(pool: PgPool) {
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let clinician = staff(&pool, "ann@example.com", Role::Clinician).await;
    let id = create(&pool, &desk, input("Ann", "Carter"), None).await;

    let mut changed = input("Ann", "Carter-Lee");
    changed.phone_mobile = "312 555 0142".into();
    changed.zip = "606".into();
    let err = record::update(&pool, &desk, &meta(), id, &changed, today())
        .await
        .unwrap_err();
    assert!(err.field_messages("zip").unwrap()[0].contains("5 digits"));

    changed.zip = "60614".into();
    changed.primary_clinician_id = clinician.id.to_string();
    record::update(&pool, &desk, &meta(), id, &changed, today())
        .await
        .unwrap();
    let chart = clients::chart(&pool, &desk, &meta(), id).await.unwrap();
    assert_eq!(chart.client.legal_last_name, "Carter-Lee");
    assert_eq!(chart.client.phone_mobile.as_deref(), Some("+13125550142"));
    assert_eq!(chart.client.primary_clinician_id, Some(clinician.id));
    // the status is not part of the form: it keeps its own history
    assert_eq!(chart.history.len(), 1);

    assert_eq!(
        record::update(&pool, &clinician, &meta(), id, &changed, today())
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_care_team_opens_the_chart_to_its_members(pool: PgPool) {
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let primary = staff(&pool, "ann@example.com", Role::Clinician).await;
    let colleague = staff(&pool, "bo@example.com", Role::Clinician).await;
    let id = create(&pool, &desk, input("Cy", "Dunn"), Some(&primary)).await;

    assert_eq!(
        clients::chart(&pool, &colleague, &meta(), id)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    record::add_to_care_team(&pool, &desk, &meta(), id, colleague.id)
        .await
        .unwrap();
    let err = record::add_to_care_team(&pool, &desk, &meta(), id, colleague.id)
        .await
        .unwrap_err();
    assert!(err.field_messages("user_id").unwrap()[0].contains("Already"));
    // only clinical staff join a care team
    let err = record::add_to_care_team(&pool, &desk, &meta(), id, desk.id)
        .await
        .unwrap_err();
    assert!(err.field_messages("user_id").is_some());

    let chart = clients::chart(&pool, &colleague, &meta(), id)
        .await
        .unwrap();
    assert_eq!(chart.care_team.len(), 1);
    record::remove_from_care_team(&pool, &desk, &meta(), id, colleague.id)
        .await
        .unwrap();
    assert_eq!(
        clients::chart(&pool, &colleague, &meta(), id)
            .await
            .unwrap_err(),
        AppError::NotFound
    );
    // the membership is ended, not erased; joining again works
    let (ended_by,): (Option<uuid::Uuid>,) =
        sqlx::query_as("SELECT removed_by FROM client_care_team WHERE user_id = $1")
            .bind(colleague.id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(ended_by, Some(desk.id.0));
    record::add_to_care_team(&pool, &desk, &meta(), id, colleague.id)
        .await
        .unwrap();
    assert!(clients::chart(&pool, &colleague, &meta(), id).await.is_ok());
}

#[sqlx::test(migrations = "../migrations")]
async fn merging_moves_the_duplicates_records_and_keeps_both_histories(pool: PgPool) {
    let admin = staff(&pool, "admin@example.com", Role::Admin).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let keep = create(&pool, &desk, input("Ann", "Carter"), None).await;
    let dup = create(&pool, &desk, input("Anne", "Carter"), None).await;
    app::clients::server::contacts::add(
        &pool,
        &desk,
        &meta(),
        dup,
        &ContactInput {
            kind: "emergency".into(),
            name: "Ray Carter".into(),
            relationship: "Brother".into(),
            phone: "(312) 555-0177".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let payer = app::settings::server::repo::insert_payer(
        &mut pool.acquire().await.unwrap(),
        "Aetna",
        "60054",
    )
    .await
    .unwrap();
    let policy = PolicyInput {
        payer_id: payer.to_string(),
        priority: "primary".into(),
        member_id: "W100".into(),
        subscriber_relationship: "self".into(),
        coverage_start: "01/01/2026".into(),
        ..Default::default()
    };
    insurance::add_policy(&pool, &desk, &meta(), keep, &policy, today())
        .await
        .unwrap();
    insurance::add_policy(&pool, &desk, &meta(), dup, &policy, today())
        .await
        .unwrap();

    // only admins merge; a record is never merged into itself
    assert_eq!(
        record::merge(&pool, &desk, &meta(), keep, dup)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    assert!(record::merge(&pool, &admin, &meta(), keep, keep)
        .await
        .is_err());
    record::merge(&pool, &admin, &meta(), keep, dup)
        .await
        .unwrap();
    assert!(matches!(
        record::merge(&pool, &admin, &meta(), keep, dup)
            .await
            .unwrap_err(),
        AppError::Conflict(_)
    ));

    // the duplicate is out of the list, its chart points to the kept one, both keep their history
    let page = clients::search(
        &pool,
        &desk,
        &meta(),
        &ClientQuery {
            q: "carter".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(page.rows.len(), 1);
    let old = clients::chart(&pool, &admin, &meta(), dup).await.unwrap();
    assert_eq!(old.merged_into, Some(keep));
    assert!(!old.can_edit && !old.can_merge);
    assert!(old.history[0]
        .reason
        .as_deref()
        .unwrap()
        .starts_with("Merged into C"));
    let kept = clients::chart(&pool, &admin, &meta(), keep).await.unwrap();
    assert!(kept.history[0]
        .reason
        .as_deref()
        .unwrap()
        .contains("merged into this one"));

    // its contact moved; its policy moved too, ended because the kept record has an active primary
    let contacts = app::clients::server::contacts::list(&pool, &desk, &meta(), keep)
        .await
        .unwrap();
    assert_eq!(contacts.contacts.len(), 1);
    let policies = insurance::list(&pool, &desk, &meta(), keep)
        .await
        .unwrap()
        .policies;
    assert_eq!(policies.len(), 2);
    assert_eq!(policies.iter().filter(|p| p.active).count(), 1);

    // the activity history of the kept record tells admins who did what
    let items = activity::list(&pool, &admin, &meta(), keep).await.unwrap();
    let actions: Vec<&str> = items.iter().map(|i| i.action.as_str()).collect();
    assert!(actions.contains(&"clients.merge"));
    assert!(actions.contains(&"clients.view"), "admins see reads too");
    // shown in the practice's zone (New York unless changed)
    assert!(items
        .iter()
        .all(|i| i.when.ends_with(" EST") || i.when.ends_with(" EDT")));
    let for_desk = activity::list(&pool, &desk, &meta(), keep).await.unwrap();
    assert!(
        for_desk.iter().all(|i| !i.action.ends_with("view")),
        "others see changes only"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_activity_history_hides_clinical_events_from_non_clinical_staff(pool: PgPool) {
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let clinician = staff(&pool, "ann@example.com", Role::Clinician).await;
    let id = create(&pool, &desk, input("Cy", "Dunn"), Some(&clinician)).await;
    app::clients::server::flags::add(
        &pool,
        &clinician,
        &meta(),
        id,
        "clinical_risk",
        "critical",
        "Safety plan",
    )
    .await
    .unwrap();
    app::clients::server::flags::add(
        &pool,
        &desk,
        &meta(),
        id,
        "administrative",
        "info",
        "Prefers mornings",
    )
    .await
    .unwrap();
    let seen_by = |items: Vec<app::clients::types::ActivityItem>| {
        items
            .iter()
            .filter(|i| i.action == "clients.flag_add")
            .count()
    };
    assert_eq!(
        seen_by(
            activity::list(&pool, &clinician, &meta(), id)
                .await
                .unwrap()
        ),
        2
    );
    assert_eq!(
        seen_by(activity::list(&pool, &desk, &meta(), id).await.unwrap()),
        1
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn alerts_are_cleared_and_contacts_removed_but_never_deleted(pool: PgPool) {
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let clinician = staff(&pool, "ann@example.com", Role::Clinician).await;
    let biller = staff(&pool, "bill@example.com", Role::Biller).await;
    let id = create(&pool, &desk, input("Cy", "Dunn"), Some(&clinician)).await;
    use app::clients::server::{contacts, flags};
    flags::add(
        &pool,
        &clinician,
        &meta(),
        id,
        "clinical_risk",
        "critical",
        "Safety plan",
    )
    .await
    .unwrap();
    let risk = flags::list(&pool, &clinician, &meta(), id)
        .await
        .unwrap()
        .flags[0]
        .id;
    // a biller may not clear a clinical alert (nor see it); the clinician may
    assert_eq!(
        flags::clear(&pool, &biller, &meta(), risk)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    flags::clear(&pool, &clinician, &meta(), risk)
        .await
        .unwrap();
    assert!(flags::list(&pool, &clinician, &meta(), id)
        .await
        .unwrap()
        .flags
        .is_empty());
    assert_eq!(
        flags::clear(&pool, &clinician, &meta(), risk)
            .await
            .unwrap_err(),
        AppError::NotFound
    );

    contacts::add(
        &pool,
        &desk,
        &meta(),
        id,
        &ContactInput {
            kind: "guardian".into(),
            name: "Pat Dunn".into(),
            relationship: "Mother".into(),
            email: "pat@example.com".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let contact = contacts::list(&pool, &desk, &meta(), id)
        .await
        .unwrap()
        .contacts[0]
        .id;
    assert_eq!(
        contacts::remove(&pool, &clinician, &meta(), contact)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    contacts::remove(&pool, &desk, &meta(), contact)
        .await
        .unwrap();
    assert!(contacts::list(&pool, &desk, &meta(), id)
        .await
        .unwrap()
        .contacts
        .is_empty());
    let kept: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM client_flags WHERE cleared_by IS NOT NULL),
                (SELECT count(*) FROM client_contacts WHERE removed_by IS NOT NULL)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(kept, (1, 1));
}
