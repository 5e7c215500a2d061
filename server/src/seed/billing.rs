//! Demo billing, made through the billing services as a biller would: the practice's billing
//! identity, codes for the appointment types, contracted fees, charges for signed sessions older than
//! two weeks (the newer ones wait on "Ready to bill"), claims built from them, batches sent, and
//! claims spread over every status.

use app::auth::server::{CurrentUser, RequestMeta};
use app::auth::types::Role;
use app::billing::coding::suggest_code;
use app::billing::server::charges::block_reason;
use app::billing::server::{batches, charges, claims, repo};
use app::billing::types::{ChargeInput, ClaimFilter, ClaimStatus};
use app::ids::{SessionId, UserId};
use chrono::Datelike;
use sqlx::PgPool;

/// Once: when the practice has no charge yet. Returns the charges made.
pub async fn demo_billing(pool: &PgPool) -> Result<u64, crate::AnyError> {
    let any: bool = sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM charges) AS "any!""#)
        .fetch_one(pool)
        .await?;
    if any {
        return Ok(0);
    }
    prepare(pool).await?;
    let Some(biller) = biller(pool).await? else {
        return Ok(0);
    };
    let meta = RequestMeta::default();
    let made = charge_old_sessions(pool, &biller, &meta).await?;
    send_and_settle(pool, &biller, &meta).await?;
    Ok(made)
}

/// The demo biller, signed in for the services.
async fn biller(pool: &PgPool) -> Result<Option<CurrentUser>, crate::AnyError> {
    let row = sqlx::query!(
        "SELECT id, email::text AS \"email!\", display_name FROM users WHERE email = 'biller@demo.test'"
    )
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|r| CurrentUser {
        id: UserId(r.id),
        email: r.email,
        display_name: r.display_name,
        role: Role::Biller,
        session_id: SessionId(uuid::Uuid::nil()),
        must_change_password: false,
    }))
}

/// What the demo practice needs before it can bill: identity, type codes, fees, a payer that bills
/// interns under their supervisor, self-pay clients, dependents on a parent's policy, telehealth.
async fn prepare(pool: &PgPool) -> Result<(), crate::AnyError> {
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "UPDATE practice SET billing_taxonomy = coalesce(billing_taxonomy, '101YM0800X'),
                billing_address = coalesce(billing_address, '2450 N Lincoln Ave'),
                billing_city = coalesce(billing_city, 'Chicago'), billing_state = coalesce(billing_state, 'IL'),
                billing_zip = coalesce(billing_zip, '60614-2344'),
                billing_phone = coalesce(billing_phone, '+13125550142'),
                submitter_id = coalesce(submitter_id, 'RIVERBEND01')"
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE appointment_types SET service_code = CASE name
                WHEN 'Intake' THEN '90791' WHEN 'Couples therapy' THEN '90847'
                WHEN 'Family therapy' THEN '90847' WHEN 'Group therapy' THEN '90853'
                ELSE '90834' END
          WHERE service_code IS NULL"
    )
    .execute(&mut *tx)
    .await?;
    // each payer's contracted amounts: 70 to 90 percent of the practice's fee
    sqlx::query!(
        "INSERT INTO payer_fees (payer_id, code, amount_cents, effective_from)
         SELECT p.id, s.code,
                s.default_fee_cents * (70 + (hashtext(p.payer_code) & 2147483647) % 21) / 100, date '2026-01-01'
           FROM payers p CROSS JOIN service_codes s
          WHERE s.code IN ('90791', '90832', '90834', '90837', '90847', '96127')
            AND NOT EXISTS (SELECT 1 FROM payer_fees f WHERE f.payer_id = p.id AND f.code = s.code)"
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE payers SET supervisor_renders_for_interns = true
          WHERE id = (SELECT id FROM payers ORDER BY payer_code LIMIT 1)"
    )
    .execute(&mut *tx)
    .await?;
    // half of the uninsured pay for themselves; the other half stay blocked for the front desk
    sqlx::query!(
        "UPDATE clients c SET self_pay = true
          WHERE NOT EXISTS (SELECT 1 FROM insurance_policies i WHERE i.client_id = c.id)
            AND (hashtext(c.id::text || 'self') & 2147483647) % 2 = 0"
    )
    .execute(&mut *tx)
    .await?;
    // one in eight insured clients is covered as a child on a parent's policy
    sqlx::query!(
        "UPDATE insurance_policies i
            SET subscriber_relationship = 'child', subscriber_name = 'Robin ' || c.legal_last_name,
                subscriber_dob = date '1968-03-14'
           FROM clients c
          WHERE c.id = i.client_id AND i.subscriber_relationship = 'self'
            AND (hashtext(i.id::text || 'dependent') & 2147483647) % 8 = 0"
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "UPDATE appointments SET telehealth = true
          WHERE status = 'completed' AND (hashtext(id::text || 'tele') & 2147483647) % 6 = 0"
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Charges every ready session older than two weeks with its suggested code (telehealth with 95),
/// and a PHQ-9 (96127) for every fifth; claims are built week by week, as a biller would.
async fn charge_old_sessions(
    pool: &PgPool,
    biller: &CurrentUser,
    meta: &RequestMeta,
) -> Result<u64, crate::AnyError> {
    let cutoff = chrono::Utc::now().date_naive() - chrono::Duration::days(14);
    let mut conn = pool.acquire().await?;
    let sessions = repo::uncharged_sessions(&mut conn, None, 100_000).await?;
    let codes = repo::service_codes(&mut conn).await?;
    drop(conn);
    let mut made = 0;
    let mut week = None;
    for (i, s) in sessions.iter().enumerate() {
        if s.service_date >= cutoff || block_reason(s).is_some() {
            continue;
        }
        let this_week = s.service_date.iso_week();
        if week.is_some_and(|w| w != this_week) {
            claims::build_claims(pool, biller, meta).await?;
        }
        week = Some(this_week);
        let Some(code) = suggest_code(s.type_code.as_deref(), s.minutes, &codes) else {
            continue;
        };
        let mut form = ChargeInput {
            appointment_id: s.appointment_id.to_string(),
            client_id: s.client_id.to_string(),
            service_code: code,
            modifiers: if s.telehealth {
                "95".into()
            } else {
                String::new()
            },
            units: String::new(),
        };
        // a visit past an authorization's last is refused: the session stays blocked
        if charges::create_charge(pool, biller, meta, &form)
            .await
            .is_err()
        {
            continue;
        }
        made += 1;
        if i % 5 == 0 {
            form.service_code = "96127".into();
            form.modifiers = String::new();
            if charges::create_charge(pool, biller, meta, &form)
                .await
                .is_ok()
            {
                made += 1;
            }
        }
    }
    claims::build_claims(pool, biller, meta).await?;
    Ok(made)
}

/// Marks the claims that can go out ready; sends the older ones in one batch per payer; then moves
/// the sent claims through acceptance, payment, denial and appeal, so every status is on show.
async fn send_and_settle(
    pool: &PgPool,
    biller: &CurrentUser,
    meta: &RequestMeta,
) -> Result<(), crate::AnyError> {
    let drafts = claims::list_claims(pool, biller, meta, &ClaimFilter::default()).await?;
    let cutoff = chrono::Utc::now().date_naive() - chrono::Duration::days(28);
    let (older, newer): (Vec<_>, Vec<_>) =
        drafts.iter().partition(|c| c.last_service_date < cutoff);
    // the older claims that can go out are sent, one batch per payer (the rest stay drafts: each
    // names what stops it)
    let mut payers = std::collections::BTreeSet::new();
    for c in &older {
        if claims::change_status(pool, biller, meta, c.id, ClaimStatus::Ready, "")
            .await
            .is_ok()
        {
            payers.insert(c.payer_id);
        }
    }
    for payer in &payers {
        batches::create_batch(pool, biller, meta, *payer).await?;
    }
    // most newer ones are ready for the biller's next batch; every third stays a draft to review
    for (i, c) in newer.iter().enumerate() {
        if i % 3 != 0 {
            let _ = claims::change_status(pool, biller, meta, c.id, ClaimStatus::Ready, "").await;
        }
    }
    let filter = ClaimFilter {
        status: Some(ClaimStatus::Submitted),
        payer_id: None,
    };
    use ClaimStatus::*;
    for (i, c) in claims::list_claims(pool, biller, meta, &filter)
        .await?
        .iter()
        .enumerate()
    {
        let path: &[ClaimStatus] = match i % 10 {
            0 | 1 => &[],
            2 => &[Rejected],
            3..=5 => &[Accepted, Paid],
            6 => &[Accepted, PartiallyPaid],
            7 => &[Accepted, Denied],
            8 => &[Accepted, Denied, Appealed],
            _ => &[Accepted, Paid, Closed],
        };
        for step in path {
            claims::change_status(pool, biller, meta, c.id, *step, "").await?;
        }
    }
    Ok(())
}
