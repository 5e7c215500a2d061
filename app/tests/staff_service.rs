//! Staff profiles on a real PostgreSQL: NPI and other field checks, who reads and changes profiles,
//! supervision, licenses with expiry alerts, and working hours that cannot overlap.
#![cfg(feature = "ssr")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::types::Role;
use app::error::AppError;
use app::ids::LocationId;
use app::settings::server::service as settings;
use app::settings::types::LocationInput;
use app::staff::server::service as staff_service;
use app::staff::types::{HoursInput, LicenseInput, ProfileInput};
use common::{audit_actions, meta, staff, today};
use sqlx::PgPool;

async fn office(pool: &PgPool, admin: &app::auth::server::CurrentUser, name: &str) -> LocationId {
    settings::add_location(
        pool,
        admin,
        &meta(),
        &LocationInput {
            name: name.into(),
            address_line1: "2400 N Clark St".into(),
            city: "Chicago".into(),
            state: "IL".into(),
            zip: "60614".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_edit_profiles_and_every_field_is_checked(pool: PgPool) {
    let admin = staff(&pool, "admin@example.com", Role::Admin).await;
    let intern = staff(&pool, "intern@example.com", Role::Intern).await;
    let supervisor = staff(&pool, "sup@example.com", Role::Supervisor).await;
    let desk = staff(&pool, "desk@example.com", Role::FrontDesk).await;

    let bad = ProfileInput {
        npi: "1234567890".into(),
        taxonomy_code: "1041C07000".into(),
        supervisor_id: "".into(),
        default_session_minutes: "500".into(),
        calendar_color: "blue".into(),
        requires_cosign: None,
    };
    let err = staff_service::update_profile(&pool, &admin, &meta(), intern.id, &bad)
        .await
        .unwrap_err();
    let message = |f: &str| {
        err.field_messages(f)
            .unwrap_or_else(|| panic!("{f}: {err:?}"))[0]
            .clone()
    };
    assert!(message("npi").contains("check digit"));
    assert!(message("taxonomy_code").contains("ending in X"));
    assert!(message("supervisor_id").contains("intern needs a supervisor"));
    assert!(message("default_session_minutes").contains("10 to 240"));
    assert!(message("calendar_color").contains("#2f5d8a"));

    // front desk cannot be a supervisor; a supervisor can
    let mut good = ProfileInput {
        npi: "1234567893".into(),
        taxonomy_code: "1041c0700x".into(),
        supervisor_id: desk.id.to_string(),
        default_session_minutes: "45".into(),
        calendar_color: "#AA3377".into(),
        requires_cosign: None,
    };
    let err = staff_service::update_profile(&pool, &admin, &meta(), intern.id, &good)
        .await
        .unwrap_err();
    assert!(
        err.field_messages("supervisor_id").unwrap()[0].contains("active clinician or supervisor")
    );
    good.supervisor_id = supervisor.id.to_string();
    staff_service::update_profile(&pool, &admin, &meta(), intern.id, &good)
        .await
        .unwrap();

    // the intern reads their own profile, not someone else's; only admins change profiles
    let own = staff_service::profile(&pool, &intern, &meta(), intern.id)
        .await
        .unwrap();
    assert_eq!(own.npi.as_deref(), Some("1234567893"));
    assert_eq!(own.taxonomy_code.as_deref(), Some("1041C0700X"));
    assert_eq!(own.supervisor_name.as_deref(), Some("sup@example.com"));
    assert_eq!(own.default_session_minutes, 45);
    assert_eq!(own.calendar_color, "#aa3377");
    assert!(own.requires_cosign, "interns always need a co-signature");
    assert!(!own.can_edit);
    assert_eq!(
        staff_service::profile(&pool, &desk, &meta(), intern.id)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    assert_eq!(
        staff_service::update_profile(&pool, &intern, &meta(), intern.id, &good)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );

    // the same NPI on a second person is refused
    let mut twin = good.clone();
    twin.supervisor_id = "".into();
    let err = staff_service::update_profile(&pool, &admin, &meta(), supervisor.id, &twin)
        .await
        .unwrap_err();
    assert!(err.field_messages("npi").unwrap()[0].contains("Another staff member"));

    // the directory lists everyone with their supervisor
    let rows = staff_service::directory(&pool, &desk, &meta())
        .await
        .unwrap();
    let row = rows.iter().find(|r| r.user_id == intern.id).unwrap();
    assert_eq!(row.supervisor_name.as_deref(), Some("sup@example.com"));
    let actions = audit_actions(&pool).await;
    for a in [
        "staff.profile_update",
        "staff.profile_view",
        "staff.directory_view",
    ] {
        assert!(actions.contains(&a.to_owned()), "{a} audited");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn licenses_expiring_within_sixty_days_alert_admins_and_the_person(pool: PgPool) {
    let admin = staff(&pool, "admin@example.com", Role::Admin).await;
    let ann = staff(&pool, "ann@example.com", Role::Clinician).await;
    let bo = staff(&pool, "bo@example.com", Role::Clinician).await;
    let license = |number: &str, expires: &str| LicenseInput {
        license_type: "LCSW".into(),
        license_number: number.into(),
        state: "il".into(),
        expires_on: expires.into(),
    };
    // today() is 11/25/2026 in these tests; the service is given the date
    staff_service::add_license(
        &pool,
        &admin,
        &meta(),
        ann.id,
        &license("149-000001", "01/10/2027"),
    )
    .await
    .unwrap();
    staff_service::add_license(
        &pool,
        &admin,
        &meta(),
        bo.id,
        &license("149-000002", "11/30/2027"),
    )
    .await
    .unwrap();
    let err = staff_service::add_license(
        &pool,
        &admin,
        &meta(),
        bo.id,
        &license("149-000002", "11/30/2027"),
    )
    .await
    .unwrap_err();
    assert!(err.field_messages("license_number").unwrap()[0].contains("already"));
    let err = staff_service::add_license(&pool, &admin, &meta(), bo.id, &license("", "someday"))
        .await
        .unwrap_err();
    assert!(
        err.field_messages("license_number").is_some()
            && err.field_messages("expires_on").is_some()
    );

    let for_admin = staff_service::license_alerts(&pool, &admin, &meta(), today())
        .await
        .unwrap();
    assert_eq!(for_admin.len(), 1);
    assert_eq!(for_admin[0].user_id, ann.id);
    assert_eq!(
        staff_service::license_alerts(&pool, &ann, &meta(), today())
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(staff_service::license_alerts(&pool, &bo, &meta(), today())
        .await
        .unwrap()
        .is_empty());
    // the admin read someone else's licence data: recorded once; the others read only their own
    let views = audit_actions(&pool)
        .await
        .into_iter()
        .filter(|a| a == "staff.license_alerts_view")
        .count();
    assert_eq!(views, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn working_hours_cannot_overlap_for_one_person(pool: PgPool) {
    let admin = staff(&pool, "admin@example.com", Role::Admin).await;
    let ann = staff(&pool, "ann@example.com", Role::Clinician).await;
    let north = office(&pool, &admin, "North").await;
    let south = office(&pool, &admin, "South").await;
    let hours = |location: LocationId, from: &str, until: &str| HoursInput {
        location_id: location.to_string(),
        weekday: "2".into(),
        starts_at: from.into(),
        ends_at: until.into(),
    };
    staff_service::add_hours(
        &pool,
        &admin,
        &meta(),
        ann.id,
        &hours(north, "09:00", "13:00"),
    )
    .await
    .unwrap();
    // the afternoon at another office is fine; an overlapping block anywhere is not
    staff_service::add_hours(
        &pool,
        &admin,
        &meta(),
        ann.id,
        &hours(south, "1:00 pm", "5:00 pm"),
    )
    .await
    .unwrap();
    let err = staff_service::add_hours(
        &pool,
        &admin,
        &meta(),
        ann.id,
        &hours(south, "12:00", "14:00"),
    )
    .await
    .unwrap_err();
    assert!(err.field_messages("starts_at").unwrap()[0].contains("overlap"));
    let err = staff_service::add_hours(
        &pool,
        &admin,
        &meta(),
        ann.id,
        &hours(south, "15:00", "14:00"),
    )
    .await
    .unwrap_err();
    assert!(err.field_messages("ends_at").unwrap()[0].contains("after the start"));

    let profile = staff_service::profile(&pool, &admin, &meta(), ann.id)
        .await
        .unwrap();
    assert_eq!(profile.hours.len(), 2);
    assert_eq!(profile.hours[1].location_name, "South");
    staff_service::remove_hours(&pool, &admin, &meta(), profile.hours[0].id)
        .await
        .unwrap();
    staff_service::add_hours(
        &pool,
        &admin,
        &meta(),
        ann.id,
        &hours(south, "12:00", "13:00"),
    )
    .await
    .unwrap();
}
