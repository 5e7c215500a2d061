//! Practice settings on a real PostgreSQL: validation, admin-only changes, locations, rooms, payers.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::types::Role;
use app::error::AppError;
use app::settings::server::service as settings;
use app::settings::types::{BillingIdentityInput, LocationInput, PracticeInput};
use common::{audit_actions, meta, staff};
use sqlx::PgPool;

fn practice() -> PracticeInput {
    PracticeInput {
        name: "Lakeside Counseling".into(),
        time_zone: "America/Denver".into(),
        billing_npi: "1234567893".into(),
        tax_id: "123456789".into(),
        idle_timeout_minutes: "20".into(),
        default_note_format: "birp".into(),
        note_due_hours: "48".into(),
        emergency_access_minutes: "45".into(),
    }
}

fn office() -> LocationInput {
    LocationInput {
        name: "Lincoln Park office".into(),
        address_line1: "2400 N Clark St".into(),
        city: "Chicago".into(),
        state: "il".into(),
        zip: "60614".into(),
        phone: "(312) 555-0100".into(),
        place_of_service: "11".into(),
        ..Default::default()
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_change_practice_settings_with_every_field_checked(pool: PgPool) {
    let admin = staff(&pool, "admin@example.com", Role::Admin).await;
    let bad = PracticeInput {
        name: " ".into(),
        time_zone: "Europe/Atlantis".into(),
        billing_npi: "1234567890".into(),
        tax_id: "12-34".into(),
        idle_timeout_minutes: "500".into(),
        default_note_format: "essay".into(),
        note_due_hours: "0".into(),
        emergency_access_minutes: "4".into(),
    };
    let err = settings::update_practice(&pool, &admin, &meta(), &bad)
        .await
        .unwrap_err();
    let message = |f: &str| {
        err.field_messages(f)
            .unwrap_or_else(|| panic!("{f}: {err:?}"))[0]
            .clone()
    };
    assert!(message("name").contains("Enter"));
    assert!(message("time_zone").contains("time zone"));
    assert!(message("billing_npi").contains("check digit"));
    assert!(message("tax_id").contains("9 digits"));
    assert!(message("idle_timeout_minutes").contains("5 to 120"));
    assert!(message("default_note_format").contains("SOAP, DAP or BIRP"));
    assert!(message("note_due_hours").contains("1 to 720"));
    assert!(message("emergency_access_minutes").contains("5 to 480"));

    settings::update_practice(&pool, &admin, &meta(), &practice())
        .await
        .unwrap();
    let o = settings::overview(&pool, &admin).await.unwrap();
    assert_eq!(o.practice.name, "Lakeside Counseling");
    assert_eq!(o.practice.time_zone, "America/Denver");
    assert_eq!(o.practice.tax_id.as_deref(), Some("12-3456789"));
    assert_eq!(o.practice.idle_timeout_minutes, 20);
    assert_eq!(
        (
            o.practice.default_note_format.as_str(),
            o.practice.note_due_hours
        ),
        ("birp", 48)
    );
    assert_eq!(o.practice.emergency_access_minutes, 45);
    assert!(audit_actions(&pool)
        .await
        .contains(&"settings.practice_update".to_owned()));

    for role in [Role::FrontDesk, Role::Clinician, Role::Biller] {
        let user = staff(&pool, &format!("{}@example.com", role.as_str()), role).await;
        assert_eq!(
            settings::update_practice(&pool, &user, &meta(), &practice())
                .await
                .unwrap_err(),
            AppError::Forbidden
        );
        assert_eq!(
            settings::overview(&pool, &user).await.unwrap_err(),
            AppError::Forbidden
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn locations_have_rooms_and_unique_names(pool: PgPool) {
    let admin = staff(&pool, "admin@example.com", Role::Admin).await;
    let id = settings::add_location(&pool, &admin, &meta(), &office())
        .await
        .unwrap();
    let err = settings::add_location(&pool, &admin, &meta(), &office())
        .await
        .unwrap_err();
    assert!(err.field_messages("name").unwrap()[0].contains("already exists"));

    let mut bad = office();
    bad.name = "Elsewhere".into();
    bad.zip = "606".into();
    bad.state = "".into();
    bad.place_of_service = "77".into();
    let err = settings::add_location(&pool, &admin, &meta(), &bad)
        .await
        .unwrap_err();
    for f in ["zip", "state", "place_of_service"] {
        assert!(err.field_messages(f).is_some(), "{f}: {err:?}");
    }

    settings::add_room(&pool, &admin, &meta(), id, "Room 2")
        .await
        .unwrap();
    settings::add_room(&pool, &admin, &meta(), id, "Room 1")
        .await
        .unwrap();
    let err = settings::add_room(&pool, &admin, &meta(), id, "Room 1")
        .await
        .unwrap_err();
    assert!(err.field_messages("room_name").unwrap()[0].contains("already has"));
    let o = settings::overview(&pool, &admin).await.unwrap();
    let rooms: Vec<_> = o.locations[0]
        .rooms
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(rooms, ["Room 1", "Room 2"]);
    assert_eq!(o.locations[0].state, "IL");
    assert_eq!(o.locations[0].phone.as_deref(), Some("+13125550100"));
}

#[sqlx::test(migrations = "../migrations")]
async fn payers_are_added_once_and_retired(pool: PgPool) {
    let admin = staff(&pool, "admin@example.com", Role::Admin).await;
    let id = settings::add_payer(&pool, &admin, &meta(), "Aetna", "60054")
        .await
        .unwrap();
    let err = settings::add_payer(&pool, &admin, &meta(), "Aetna again", "60054")
        .await
        .unwrap_err();
    assert!(err.field_messages("payer_code").unwrap()[0].contains("already"));
    let err = settings::add_payer(&pool, &admin, &meta(), "", "6")
        .await
        .unwrap_err();
    assert!(
        err.field_messages("payer_name").is_some() && err.field_messages("payer_code").is_some()
    );

    settings::set_payer_active(&pool, &admin, &meta(), id, false)
        .await
        .unwrap();
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    let options = app::clients::server::insurance::payer_options(&pool, &desk)
        .await
        .unwrap();
    assert!(options.is_empty(), "a retired payer is not offered");
    let all = settings::overview(&pool, &admin).await.unwrap().payers;
    assert_eq!(all.len(), 1);
    assert!(!all[0].active);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_billing_identity_is_checked_and_kept(pool: PgPool) {
    let admin = staff(&pool, "admin@example.com", Role::Admin).await;
    let bad = BillingIdentityInput {
        taxonomy: "101YM0800".into(),
        zip: "60614".into(),
        submitter_id: "RIVER BEND".into(),
        phone: "555".into(),
        ..Default::default()
    };
    let err = settings::update_billing_identity(&pool, &admin, &meta(), &bad)
        .await
        .unwrap_err();
    assert!(err.field_messages("taxonomy").unwrap()[0].contains("ending in X"));
    assert_eq!(
        err.field_messages("zip").unwrap(),
        ["Claims need the ZIP+4 of the billing address, like 60614-2344."]
    );
    assert!(err.field_messages("submitter_id").is_some());
    assert!(err.field_messages("phone").is_some());
    let good = BillingIdentityInput {
        taxonomy: "101ym0800x".into(),
        address: "2450 N Lincoln Ave".into(),
        city: "Chicago".into(),
        state: "IL".into(),
        zip: "606142344".into(),
        phone: "(312) 555-0142".into(),
        submitter_id: "riverbend01".into(),
    };
    settings::update_billing_identity(&pool, &admin, &meta(), &good)
        .await
        .unwrap();
    let o = settings::overview(&pool, &admin).await.unwrap();
    assert_eq!(o.billing.taxonomy.as_deref(), Some("101YM0800X"));
    assert_eq!(o.billing.zip.as_deref(), Some("60614-2344"));
    assert_eq!(o.billing.phone.as_deref(), Some("+13125550142"));
    assert_eq!(o.billing.submitter_id.as_deref(), Some("RIVERBEND01"));
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;
    assert_eq!(
        settings::update_billing_identity(&pool, &desk, &meta(), &good)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    assert!(audit_actions(&pool)
        .await
        .contains(&"settings.billing_identity_update".to_owned()));
}
