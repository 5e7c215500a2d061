//! Billing on real PostgreSQL: a session is charged only once its note is signed (in the service and
//! in the database), the charge copies fee, copay, rendering provider and place of service, prior
//! authorizations count visits, claims say what stops them, and a batch is an 837P that reads back
//! and downloads byte for byte.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test that cannot go on fails here

mod common;

use app::auth::server::CurrentUser;
use app::auth::types::Role;
use app::billing::server::edi;
use app::billing::server::{batches, charges, claims, fees};
use app::billing::types::*;
use app::documents::server::notes::{self, Decision};
use app::documents::types::NoteStatus;
use app::error::AppError;
use app::ids::{ClaimId, ClientId};
use common::billing::*;
use common::documents::*;
use common::{audit_actions, create, input, meta, staff, PASSWORD};
use sqlx::PgPool;

async fn queue_entry(pool: &PgPool, biller: &CurrentUser, client: ClientId) -> BillableSession {
    let q = charges::work_queue(pool, biller, &meta()).await.unwrap();
    q.ready
        .into_iter()
        .chain(q.blocked)
        .find(|s| s.client_id == client)
        .expect("the session is in the queue")
}

#[sqlx::test(migrations = "../migrations")]
async fn a_session_is_charged_only_once_its_note_is_signed(pool: PgPool) {
    let b = billing(&pool).await;
    let (d, biller) = (&b.d, &b.biller);
    let entry = queue_entry(&pool, biller, d.ann).await;
    assert_eq!(entry.blocked, Some(BlockReason::NoteMissing));
    assert_eq!(entry.minutes, 50);
    let refused = charges::create_charge(
        &pool,
        biller,
        &meta(),
        &charge_input(d.appointment, d.ann, "90834"),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&refused, AppError::Conflict(m) if m.contains("No progress note") && m.contains("The clinician must act")),
        "{refused:?}"
    );

    let note = start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await;
    assert_eq!(
        queue_entry(&pool, biller, d.ann).await.blocked,
        Some(BlockReason::NoteUnsigned)
    );
    // the database refuses a charge for a draft note, whoever writes it
    let raw = sqlx::query(
        "INSERT INTO charges (appointment_id, client_id, note_id, service_date, service_code, units,
                              unit_fee_cents, diagnosis_codes, documented_minutes, clinician_id,
                              rendering_provider_id, place_of_service, client_share_cents, created_by)
         VALUES ($1, $2, $3, '2026-12-01', '90834', 1, 12000, '{F41.1}', 50, $4, $4, '11', 0, $4)",
    )
    .bind(d.appointment)
    .bind(d.ann)
    .bind(note)
    .bind(d.casey.id)
    .execute(&pool)
    .await
    .unwrap_err();
    assert_eq!(
        raw.as_database_error().and_then(|e| e.constraint()),
        Some("charges_signed_note")
    );

    assert_eq!(
        write_and_sign(&pool, &d.keys, &d.casey, note, &full_soap()).await,
        NoteStatus::Signed
    );
    let entry = queue_entry(&pool, biller, d.ann).await;
    assert_eq!(entry.blocked, None);
    // 50 minutes: 90834 (38–52)
    assert_eq!(entry.suggested_code.as_deref(), Some("90834"));
    assert_eq!(entry.payer_name.as_deref(), Some("Acme Health"));

    // 90837 needs 53 minutes: it is charged, and the warning stays visible on the charge
    let mut form = charge_input(d.appointment, d.ann, "90837");
    form.modifiers = "ho".into();
    charges::create_charge(&pool, biller, &meta(), &form)
        .await
        .unwrap();
    let list = charges::client_charges(&pool, biller, &meta(), d.ann)
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    let c = &list[0];
    assert_eq!((c.service_code.as_str(), c.units), ("90837", 1));
    assert_eq!(c.modifiers, ["HO"]);
    // the default fee of 90837 ($160) and the policy's $25 copay
    assert_eq!((c.amount.cents(), c.client_share.cents()), (16000, 2500));
    assert_eq!(
        c.time_warning.as_deref(),
        Some("The session lasted 50 minutes, but 90837 needs at least 53 minutes. 90834 fits 50 minutes.")
    );
    let stored: (Vec<String>, String, uuid::Uuid) = sqlx::query_as(
        "SELECT diagnosis_codes, place_of_service, rendering_provider_id FROM charges",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(stored.0, ["F41.1", "F32.0"], "primary first");
    assert_eq!(stored.1, "11");
    assert_eq!(stored.2, d.casey.id.0);

    // charged once: the session leaves the queue and a second charge is refused
    let q = charges::work_queue(&pool, biller, &meta()).await.unwrap();
    assert!(q
        .ready
        .iter()
        .chain(&q.blocked)
        .all(|s| s.client_id != d.ann));
    let again = charges::create_charge(
        &pool,
        biller,
        &meta(),
        &charge_input(d.appointment, d.ann, "90837"),
    )
    .await
    .unwrap_err();
    assert_eq!(
        again,
        AppError::Conflict("This session is already charged with this code.".into())
    );
    // the front desk sees the charge and the copay; a clinician does not
    charges::client_charges(&pool, &d.desk, &meta(), d.ann)
        .await
        .unwrap();
    assert_eq!(
        charges::client_charges(&pool, &d.casey, &meta(), d.ann)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    let actions = audit_actions(&pool).await;
    assert!(actions.contains(&"billing.charge_create".to_owned()));
    assert!(actions.contains(&"billing.charges_view".to_owned()));
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_charge_input_is_explained_field_by_field(pool: PgPool) {
    let b = billing(&pool).await;
    let form = ChargeInput {
        appointment_id: "not-an-id".into(),
        client_id: b.d.ann.to_string(),
        service_code: "99213".into(),
        modifiers: "95 9".into(),
        units: "0".into(),
    };
    let err = charges::create_charge(&pool, &b.biller, &meta(), &form)
        .await
        .unwrap_err();
    assert_eq!(
        err.field_messages("appointment_id").unwrap(),
        ["Choose a session from the list."]
    );
    assert_eq!(
        err.field_messages("service_code").unwrap(),
        ["Choose one of the practice's service codes."]
    );
    assert!(err.field_messages("modifiers").unwrap()[0].contains("\"9\" is not a modifier"));
    assert!(err.field_messages("units").unwrap()[0].contains("1 to 99"));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM charges")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_interns_session_waits_for_cosign_and_bills_under_the_supervisor_when_the_payer_says(
    pool: PgPool,
) {
    let b = billing(&pool).await;
    let p = booked_practice(&pool).await;
    let jordan = staff(&pool, "jordan@example.com", Role::Intern).await;
    let sam = staff(&pool, "sam@example.com", Role::Supervisor).await;
    set_supervisor(&pool, jordan.id, sam.id).await;
    set_npi(&pool, &sam, "1987654328").await;
    let bea = create(&pool, &b.d.desk, input("Bea", "Lopez"), Some(&jordan)).await;
    let appointment = book(&pool, &p, &b.d.desk, &jordan, bea, "14:00").await;
    complete(&pool, appointment).await;
    diagnose(&pool, bea, &jordan, "F43.23", "primary").await;
    insure(&pool, bea, b.payer, 0).await;
    sqlx::query("UPDATE payers SET supervisor_renders_for_interns = true")
        .execute(&pool)
        .await
        .unwrap();
    let note = start_progress(&pool, &b.d.keys, &jordan, bea, appointment).await;
    assert_eq!(
        write_and_sign(&pool, &b.d.keys, &jordan, note, &full_soap()).await,
        NoteStatus::AwaitingCosign
    );
    let entry = queue_entry(&pool, &b.biller, bea).await;
    assert_eq!(entry.blocked, Some(BlockReason::AwaitingCosign));
    assert_eq!(BlockReason::AwaitingCosign.who_acts(), "The supervisor");
    notes::review(
        &pool,
        &b.d.keys,
        &sam,
        &meta(),
        note,
        Decision::Approve { password: PASSWORD },
    )
    .await
    .unwrap();
    assert_eq!(queue_entry(&pool, &b.biller, bea).await.blocked, None);
    charges::create_charge(
        &pool,
        &b.biller,
        &meta(),
        &charge_input(appointment, bea, "90834"),
    )
    .await
    .unwrap();
    let (clinician, rendering): (uuid::Uuid, uuid::Uuid) = sqlx::query_as(
        "SELECT clinician_id, rendering_provider_id FROM charges WHERE client_id = $1",
    )
    .bind(bea)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((clinician, rendering), (jordan.id.0, sam.id.0));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_prior_authorization_counts_visits_and_says_when_none_are_left(pool: PgPool) {
    let b = billing(&pool).await;
    let d = &b.d;
    sqlx::query(
        "INSERT INTO prior_authorizations (policy_id, auth_number, visits_authorized, start_on, end_on)
         SELECT id, 'AUTH-1', 1, '2026-11-01', '2026-12-31' FROM insurance_policies",
    )
    .execute(&pool)
    .await
    .unwrap();
    let note = start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await;
    write_and_sign(&pool, &d.keys, &d.casey, note, &full_soap()).await;
    charges::create_charge(
        &pool,
        &b.biller,
        &meta(),
        &charge_input(d.appointment, d.ann, "90834"),
    )
    .await
    .unwrap();
    let used: i32 = sqlx::query_scalar("SELECT visits_used FROM prior_authorizations")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(used, 1);
    // a second session the same day, later: the authorization is used up
    let p = booked_practice(&pool).await;
    let second = book(&pool, &p, &d.desk, &d.casey, d.ann, "15:00").await;
    complete(&pool, second).await;
    let note = start_progress(&pool, &d.keys, &d.casey, d.ann, second).await;
    write_and_sign(&pool, &d.keys, &d.casey, note, &full_soap()).await;
    let entry = queue_entry(&pool, &b.biller, d.ann).await;
    assert_eq!(entry.blocked, Some(BlockReason::AuthorizationUsedUp));
    let err = charges::create_charge(
        &pool,
        &b.biller,
        &meta(),
        &charge_input(second, d.ann, "90834"),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, AppError::Conflict(m) if m.contains("prior authorization")),
        "{err:?}"
    );
    // and the database would not count past the limit either
    let over = sqlx::query("UPDATE prior_authorizations SET visits_used = visits_used + 1")
        .execute(&pool)
        .await
        .unwrap_err();
    assert_eq!(
        AppError::from(over),
        AppError::Conflict("Every visit of the prior authorization has been used: record a new authorization before billing this session.".into())
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_claim_names_what_stops_it_then_goes_out_in_an_837p_batch(pool: PgPool) {
    let b = billing(&pool).await;
    let d = &b.d;
    let note = start_progress(&pool, &d.keys, &d.casey, d.ann, d.appointment).await;
    write_and_sign(&pool, &d.keys, &d.casey, note, &full_soap()).await;
    let mut form = charge_input(d.appointment, d.ann, "90834");
    form.modifiers = "HO".into();
    charges::create_charge(&pool, &b.biller, &meta(), &form)
        .await
        .unwrap();
    let mut add_on = charge_input(d.appointment, d.ann, "96127");
    add_on.units = "2".into();
    charges::create_charge(&pool, &b.biller, &meta(), &add_on)
        .await
        .unwrap();

    let built = claims::build_claims(&pool, &b.biller, &meta())
        .await
        .unwrap();
    assert_eq!(
        built,
        ClaimsBuilt {
            claims: 1,
            lines: 2
        }
    );
    // nothing more to build
    assert_eq!(
        claims::build_claims(&pool, &b.biller, &meta())
            .await
            .unwrap(),
        ClaimsBuilt {
            claims: 0,
            lines: 0
        }
    );
    // the copay is due once per session: with its first charge
    let shares: Vec<i64> = charges::client_charges(&pool, &b.biller, &meta(), d.ann)
        .await
        .unwrap()
        .iter()
        .map(|c| c.client_share.cents())
        .collect();
    assert_eq!(shares.iter().sum::<i64>(), 2500);
    let list = claims::list_claims(&pool, &b.biller, &meta(), &ClaimFilter::default())
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
    let id: ClaimId = list[0].id;
    // $120 for 90834 and 2 × $10 for 96127
    assert_eq!(list[0].total_cents, 12000 + 2 * 1000);
    assert_eq!(list[0].status, ClaimStatus::Draft);

    // the practice has no billing identity yet: each missing part is named, with where to fix it
    let detail = claims::claim_detail(&pool, &b.biller, &meta(), id)
        .await
        .unwrap();
    let messages: Vec<&str> = detail.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "The practice's billing NPI is missing — open Settings.",
            "The practice's tax id (EIN) is missing — open Settings.",
            "The practice's taxonomy code is missing — open Settings.",
            "The practice's billing address is missing — open Settings.",
            "The practice's billing ZIP+4 is missing (claims need all nine digits) — open Settings.",
            "The practice's billing phone is missing — open Settings.",
            "The practice's submitter id (from the clearinghouse) is missing — open Settings.",
        ]
    );
    assert!(detail
        .problems
        .iter()
        .all(|p| p.fix_at.as_deref() == Some("/admin/settings")));
    assert_eq!(detail.diagnoses, ["F41.1", "F32.0"]);
    assert_eq!(detail.lines[0].pointers, [1, 2]);
    let refused = claims::change_status(&pool, &b.biller, &meta(), id, ClaimStatus::Ready, "")
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, AppError::Conflict(m) if m.contains("billing NPI") && m.contains("6 more")),
        "{refused:?}"
    );

    complete_practice(&pool).await;
    sqlx::query("UPDATE staff_profiles SET npi = NULL WHERE user_id = $1")
        .bind(d.casey.id)
        .execute(&pool)
        .await
        .unwrap();
    let detail = claims::claim_detail(&pool, &b.biller, &meta(), id)
        .await
        .unwrap();
    assert_eq!(detail.problems.len(), 1);
    assert_eq!(
        detail.problems[0].message,
        "casey@example.com has no NPI — add it on their staff profile."
    );
    set_npi(&pool, &d.casey, "1234567893").await;
    claims::change_status(&pool, &b.biller, &meta(), id, ClaimStatus::Ready, "")
        .await
        .unwrap();
    // a change people do not make by hand
    let err = claims::change_status(&pool, &b.biller, &meta(), id, ClaimStatus::Paid, "")
        .await
        .unwrap_err();
    assert!(matches!(err, AppError::Conflict(_)));

    // the payer is a Medicaid plan: SBR09 says MC and box 1 ticks Medicaid
    let err = fees::set_payer_rules(&pool, &b.biller, &meta(), b.payer, "XX", false)
        .await
        .unwrap_err();
    assert_eq!(
        err.field_messages("filing_indicator").unwrap()[0],
        "Choose the kind of plan from the list."
    );
    fees::set_payer_rules(&pool, &b.biller, &meta(), b.payer, "MC", false)
        .await
        .unwrap();
    let (pdf_name, pdf) = claims::claim_pdf(&pool, &b.biller, &meta(), id)
        .await
        .unwrap();
    assert_eq!(pdf_name, format!("cms1500-{}.pdf", list[0].claim_number));
    assert!(pdf.starts_with(b"%PDF-"));
    let pdf_text = String::from_utf8_lossy(&pdf);
    assert!(pdf_text.contains("/Count 1"), "two lines fit one form");
    assert!(
        pdf_text.contains("(W123456789)"),
        "box 1a: the subscriber id"
    );
    assert!(pdf_text.contains("(140 00)"), "box 28: the total");
    assert!(pdf_text.contains("(X MEDICAID)"), "box 1: the program");
    let batch = batches::create_batch(&pool, &b.biller, &meta(), b.payer)
        .await
        .unwrap();
    let (name, file) = batches::batch_file(&pool, &b.biller, &meta(), batch)
        .await
        .unwrap();
    assert_eq!(name, "837p-000000001.x12");
    let text = String::from_utf8(file.clone()).unwrap();
    let parsed = edi::read(&text).unwrap();
    assert_eq!(parsed.control_number, 1);
    assert_eq!(parsed.transaction_sets, 1);
    let seg = |id: &str| {
        parsed
            .segments
            .iter()
            .filter(|s| s.id == id)
            .collect::<Vec<_>>()
    };
    assert_eq!(seg("SBR")[0].el(9), "MC", "the claim filing indicator");
    let clm = seg("CLM");
    assert_eq!(clm.len(), 1);
    assert_eq!(clm[0].el(2), "140");
    assert_eq!(clm[0].el(5), "11:B:1");
    let sv1 = seg("SV1");
    assert_eq!(sv1[0].el(1), "HC:90834:HO");
    assert_eq!(
        (sv1[0].el(2), sv1[0].el(4), sv1[0].el(7)),
        ("120", "1", "1:2")
    );
    assert_eq!(
        (sv1[1].el(1), sv1[1].el(2), sv1[1].el(4)),
        ("HC:96127", "20", "2")
    );
    assert_eq!(seg("HI")[0].elements, ["ABK:F411", "ABF:F320"]);
    // the rendering provider differs from the practice: 2310B names her
    let nm1_82 = parsed
        .segments
        .iter()
        .find(|s| s.id == "NM1" && s.el(1) == "82")
        .unwrap();
    assert_eq!(nm1_82.el(9), "1234567893");
    // the patient is the subscriber: no patient loop
    assert!(seg("PAT").is_empty());
    assert_eq!(seg("DTP")[0].elements, ["472", "D8", "20261201"]);

    // the claim is submitted in the batch, with its history
    let detail = claims::claim_detail(&pool, &b.biller, &meta(), id)
        .await
        .unwrap();
    assert_eq!(detail.summary.status, ClaimStatus::Submitted);
    assert_eq!(detail.batch_id, Some(batch));
    let steps: Vec<_> = detail.history.iter().map(|h| h.to_status).collect();
    assert_eq!(
        steps,
        [
            ClaimStatus::Draft,
            ClaimStatus::Ready,
            ClaimStatus::Submitted
        ]
    );
    // nothing left to send; the stored file never changes
    assert!(matches!(
        batches::create_batch(&pool, &b.biller, &meta(), b.payer).await,
        Err(AppError::Conflict(_))
    ));
    let tamper = sqlx::query("UPDATE claim_batches SET file = 'x'")
        .execute(&pool)
        .await
        .unwrap_err();
    assert_eq!(
        tamper.as_database_error().and_then(|e| e.constraint()),
        Some("claim_batches_file_fixed")
    );
    let (_, again) = batches::batch_file(&pool, &b.biller, &meta(), batch)
        .await
        .unwrap();
    assert_eq!(again, file);
    // billing is not the clinician's
    assert_eq!(
        batches::batch_file(&pool, &d.casey, &meta(), batch)
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
    let actions = audit_actions(&pool).await;
    for action in [
        "billing.claims_build",
        "billing.claim_view",
        "billing.claim_status",
        "billing.batch_create",
        "billing.batch_download",
    ] {
        assert!(actions.contains(&action.to_owned()), "{action}");
    }
    // the batch's events name its client (her history shows the claim going out and each download),
    // and the clinician's refused download is on record
    let per_client: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, outcome FROM audit_events
          WHERE client_id = $1 AND action LIKE 'billing.batch%' ORDER BY id",
    )
    .bind(d.ann)
    .fetch_all(&pool)
    .await
    .unwrap();
    let per_client: Vec<(&str, &str)> = per_client
        .iter()
        .map(|(a, o)| (a.as_str(), o.as_str()))
        .collect();
    assert_eq!(
        per_client,
        [
            ("billing.batch_create", "success"),
            ("billing.batch_download", "success"),
            ("billing.batch_download", "success"),
        ]
    );
    let denied: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_events WHERE action = 'billing.batch_download' AND outcome = 'denied'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(denied, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_fee_schedule_takes_codes_fees_and_contracted_amounts_without_overlap(pool: PgPool) {
    use app::billing::server::fees;
    let b = billing(&pool).await;
    let bad = ServiceCodeInput {
        code: "9083".into(),
        description: " ".into(),
        default_fee: "-5".into(),
        add_on: None,
    };
    let err = fees::add_service_code(&pool, &b.biller, &meta(), &bad)
        .await
        .unwrap_err();
    assert_eq!(
        err.field_messages("code").unwrap(),
        ["A service code is five characters, like 90834."]
    );
    assert!(err.field_messages("description").is_some());
    assert!(err.field_messages("default_fee").unwrap()[0].contains("negative"));
    let good = ServiceCodeInput {
        code: "90882".into(),
        description: "Environmental intervention".into(),
        default_fee: "45".into(),
        add_on: None,
    };
    fees::add_service_code(&pool, &b.biller, &meta(), &good)
        .await
        .unwrap();
    let again = fees::add_service_code(&pool, &b.biller, &meta(), &good)
        .await
        .unwrap_err();
    assert_eq!(
        again.field_messages("code").unwrap(),
        ["This code is already on the list."]
    );
    fees::set_code_fee(&pool, &b.biller, &meta(), "90834", "130.00")
        .await
        .unwrap();
    let schedule = fees::fee_schedule(&pool, &b.biller).await.unwrap();
    let fee_of = |code: &str| {
        schedule
            .codes
            .iter()
            .find(|c| c.code == code)
            .unwrap()
            .default_fee
            .cents()
    };
    assert_eq!((fee_of("90834"), fee_of("90882")), (13000, 4500));

    let contract = |from: &str, to: &str| PayerFeeInput {
        payer_id: b.payer.to_string(),
        code: "90834".into(),
        amount: "98.50".into(),
        effective_from: from.into(),
        effective_to: to.into(),
    };
    fees::add_payer_fee(
        &pool,
        &b.biller,
        &meta(),
        &contract("01/01/2026", "06/30/2026"),
    )
    .await
    .unwrap();
    let overlap = fees::add_payer_fee(&pool, &b.biller, &meta(), &contract("06/01/2026", ""))
        .await
        .unwrap_err();
    assert!(overlap.field_messages("effective_from").unwrap()[0].contains("already has an amount"));
    let backwards = fees::add_payer_fee(
        &pool,
        &b.biller,
        &meta(),
        &contract("07/01/2026", "06/01/2026"),
    )
    .await
    .unwrap_err();
    assert!(backwards.field_messages("effective_to").is_some());
    fees::add_payer_fee(&pool, &b.biller, &meta(), &contract("07/01/2026", ""))
        .await
        .unwrap();
    let schedule = fees::fee_schedule(&pool, &b.biller).await.unwrap();
    assert_eq!(schedule.payer_fees.len(), 2);
    assert_eq!(schedule.payer_fees[0].amount.cents(), 9850);

    let individual = schedule.types[0].id;
    fees::set_type_code(&pool, &b.biller, &meta(), individual, "90837")
        .await
        .unwrap();
    let missing = fees::set_type_code(&pool, &b.biller, &meta(), individual, "90999")
        .await
        .unwrap_err();
    assert_eq!(
        missing.field_messages("code").unwrap(),
        ["Add this code to the practice's codes first."]
    );
    assert_eq!(
        fees::set_code_fee(&pool, &b.d.desk, &meta(), "90834", "1")
            .await
            .unwrap_err(),
        AppError::Forbidden
    );
}
