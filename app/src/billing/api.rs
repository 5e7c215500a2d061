//! Server functions of billing.

use crate::billing::types::*;
use crate::error::AppError;
use crate::ids::{
    AppointmentTypeId, BatchId, ChargeId, ClaimId, ClientId, EraClaimId, EraId, PayerId,
};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use crate::{
    billing::server::{
        acks, batches, charges, claims, fees, ledger, receivables, refusals, remits,
    },
    ctx::Ctx,
};

#[server(endpoint = "billing/work_queue")]
pub async fn load_work_queue() -> Result<WorkQueue, AppError> {
    let ctx = Ctx::current()?;
    charges::work_queue(&ctx.pool, &ctx.user, &ctx.meta).await
}

#[server(endpoint = "billing/create_charge")]
pub async fn create_charge(charge: ChargeInput) -> Result<ChargeId, AppError> {
    let ctx = Ctx::current()?;
    charges::create_charge(&ctx.pool, &ctx.user, &ctx.meta, &charge).await
}

/// The signed-in clinician's own sessions and where each stands in billing (no amounts).
#[server(endpoint = "billing/own_sessions")]
pub async fn load_own_sessions() -> Result<Vec<SessionBilling>, AppError> {
    let ctx = Ctx::current()?;
    charges::own_sessions(&ctx.pool, &ctx.user, &ctx.meta).await
}

#[server(endpoint = "billing/client_charges")]
pub async fn load_client_charges(client: ClientId) -> Result<Vec<ChargeSummary>, AppError> {
    let ctx = Ctx::current()?;
    charges::client_charges(&ctx.pool, &ctx.user, &ctx.meta, client).await
}

#[server(endpoint = "billing/set_self_pay")]
pub async fn set_self_pay(client: ClientId, self_pay: bool) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    charges::set_self_pay(&ctx.pool, &ctx.user, &ctx.meta, client, self_pay).await
}

#[server(endpoint = "billing/build_claims")]
pub async fn build_claims() -> Result<ClaimsBuilt, AppError> {
    let ctx = Ctx::current()?;
    claims::build_claims(&ctx.pool, &ctx.user, &ctx.meta).await
}

/// A corrected (`replace`, frequency 7) or void (`void`, 8) claim in place of `id`: its id.
#[server(endpoint = "billing/correct_claim")]
pub async fn correct_claim(
    id: ClaimId,
    kind: Correction,
    #[server(default)] reason: String,
) -> Result<ClaimId, AppError> {
    let ctx = Ctx::current()?;
    claims::correct_claim(&ctx.pool, &ctx.user, &ctx.meta, id, kind, &reason).await
}

/// `status` and `payer_id` may be empty (all).
#[server(endpoint = "billing/claims")]
pub async fn load_claims(
    #[server(default)] status: String,
    #[server(default)] payer_id: String,
) -> Result<Vec<ClaimSummary>, AppError> {
    let ctx = Ctx::current()?;
    let filter = parse_filter(&status, &payer_id)?;
    claims::list_claims(&ctx.pool, &ctx.user, &ctx.meta, &filter).await
}

#[server(endpoint = "billing/claim")]
pub async fn load_claim(id: ClaimId) -> Result<ClaimDetail, AppError> {
    let ctx = Ctx::current()?;
    claims::claim_detail(&ctx.pool, &ctx.user, &ctx.meta, id).await
}

#[server(endpoint = "billing/change_claim_status")]
pub async fn change_claim_status(
    id: ClaimId,
    status: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    let to = ClaimStatus::parse(&status).map_err(|m| AppError::field("status", m))?;
    claims::change_status(&ctx.pool, &ctx.user, &ctx.meta, id, to, &reason).await
}

#[server(endpoint = "billing/batches")]
pub async fn load_batches() -> Result<BatchesOverview, AppError> {
    let ctx = Ctx::current()?;
    batches::overview(&ctx.pool, &ctx.user).await
}

#[server(endpoint = "billing/create_batch")]
pub async fn create_batch(payer_id: PayerId) -> Result<BatchId, AppError> {
    let ctx = Ctx::current()?;
    batches::create_batch(&ctx.pool, &ctx.user, &ctx.meta, payer_id).await
}

#[server(endpoint = "billing/fee_schedule")]
pub async fn load_fee_schedule() -> Result<FeeSchedule, AppError> {
    let ctx = Ctx::current()?;
    fees::fee_schedule(&ctx.pool, &ctx.user).await
}

#[server(endpoint = "billing/add_service_code")]
pub async fn add_service_code(code: ServiceCodeInput) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    fees::add_service_code(&ctx.pool, &ctx.user, &ctx.meta, &code).await
}

#[server(endpoint = "billing/set_code_fee")]
pub async fn set_code_fee(code: String, fee: String) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    fees::set_code_fee(&ctx.pool, &ctx.user, &ctx.meta, &code, &fee).await
}

#[server(endpoint = "billing/add_payer_fee")]
pub async fn add_payer_fee(fee: PayerFeeInput) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    fees::add_payer_fee(&ctx.pool, &ctx.user, &ctx.meta, &fee).await
}

/// `supervisor_renders` is present (any value) when an intern's sessions bill under the supervisor.
#[server(endpoint = "billing/set_payer_rules")]
pub async fn set_payer_rules(
    payer_id: PayerId,
    filing_indicator: String,
    #[server(default)] supervisor_renders: Option<String>,
) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    fees::set_payer_rules(
        &ctx.pool,
        &ctx.user,
        &ctx.meta,
        payer_id,
        &filing_indicator,
        supervisor_renders.is_some(),
    )
    .await
}

#[server(endpoint = "billing/set_type_code")]
pub async fn set_type_code(id: AppointmentTypeId, code: String) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    fees::set_type_code(&ctx.pool, &ctx.user, &ctx.meta, id, &code).await
}

#[server(endpoint = "billing/payments")]
pub async fn load_payments() -> Result<PaymentsOverview, AppError> {
    let ctx = Ctx::current()?;
    remits::overview(&ctx.pool, &ctx.user, &ctx.meta).await
}

/// Imports an 835 given as text (the upload form and `POST /billing/eras` send the file itself).
#[server(endpoint = "billing/import_era")]
pub async fn import_era(file: String) -> Result<EraImported, AppError> {
    let ctx = Ctx::current()?;
    remits::import_era(&ctx.pool, &ctx.user, &ctx.meta, file.as_bytes()).await
}

/// Why the upload form's last file was refused (`id` from the page's `?refused=`): the sentence the
/// server kept for the caller, or nothing.
#[server(endpoint = "billing/upload_refusal")]
pub async fn load_upload_refusal(id: String) -> Result<Option<String>, AppError> {
    let ctx = Ctx::current()?;
    refusals::read(&ctx.pool, &ctx.user, &id).await
}

/// Imports a 999 given as text (the upload form and `POST /billing/acks` send the file itself).
#[server(endpoint = "billing/import_ack")]
pub async fn import_ack(file: String) -> Result<AckImported, AppError> {
    let ctx = Ctx::current()?;
    acks::import_ack(&ctx.pool, &ctx.user, &ctx.meta, file.as_bytes()).await
}

#[server(endpoint = "billing/era")]
pub async fn load_era(id: EraId) -> Result<EraDetail, AppError> {
    let ctx = Ctx::current()?;
    remits::era_detail(&ctx.pool, &ctx.user, &ctx.meta, id).await
}

#[server(endpoint = "billing/resolve_unmatched")]
pub async fn resolve_unmatched(id: EraClaimId, resolution: String) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    remits::resolve_unmatched(&ctx.pool, &ctx.user, &ctx.meta, id, &resolution).await
}

#[server(endpoint = "billing/ledger")]
pub async fn load_ledger(client: ClientId) -> Result<ClientLedger, AppError> {
    let ctx = Ctx::current()?;
    ledger::client_ledger(&ctx.pool, &ctx.user, &ctx.meta, client).await
}

#[server(endpoint = "billing/take_payment")]
pub async fn take_payment(payment: PaymentInput) -> Result<PaymentTaken, AppError> {
    let ctx = Ctx::current()?;
    ledger::take_payment(&ctx.pool, &ctx.user, &ctx.meta, &payment).await
}

#[server(endpoint = "billing/apply_credit")]
pub async fn apply_credit(client: ClientId) -> Result<crate::money::Money, AppError> {
    let ctx = Ctx::current()?;
    ledger::apply_credit(&ctx.pool, &ctx.user, &ctx.meta, client).await
}

#[server(endpoint = "billing/allocate")]
pub async fn allocate(charge: ChargeId, amount: String) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    ledger::allocate(&ctx.pool, &ctx.user, &ctx.meta, charge, &amount).await
}

#[server(endpoint = "billing/refund")]
pub async fn refund(client: ClientId, refund: RefundInput) -> Result<PaymentTaken, AppError> {
    let ctx = Ctx::current()?;
    ledger::refund(&ctx.pool, &ctx.user, &ctx.meta, client, &refund).await
}

#[server(endpoint = "billing/write_off")]
pub async fn write_off(
    charge: ChargeId,
    party: String,
    amount: String,
    reason: String,
) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    let party = Party::parse(&party).map_err(|m| AppError::field("party", m))?;
    let change = ledger::BalanceChange::WriteOff(party);
    ledger::change_balance(
        &ctx.pool, &ctx.user, &ctx.meta, charge, change, &amount, &reason,
    )
    .await
}

#[server(endpoint = "billing/transfer_to_client")]
pub async fn transfer_to_client(
    charge: ChargeId,
    amount: String,
    reason: String,
) -> Result<(), AppError> {
    let ctx = Ctx::current()?;
    let change = ledger::BalanceChange::TransferToClient;
    ledger::change_balance(
        &ctx.pool, &ctx.user, &ctx.meta, charge, change, &amount, &reason,
    )
    .await
}

#[server(endpoint = "billing/receivables")]
pub async fn load_receivables() -> Result<Receivables, AppError> {
    let ctx = Ctx::current()?;
    receivables::receivables(&ctx.pool, &ctx.user, &ctx.meta).await
}

/// The claims list's filters as typed (empty: any).
pub fn parse_filter(status: &str, payer_id: &str) -> Result<ClaimFilter, AppError> {
    let status = match status.trim() {
        "" => None,
        s => Some(ClaimStatus::parse(s).map_err(|m| AppError::field("status", m))?),
    };
    let payer_id = match payer_id.trim() {
        "" => None,
        p => Some(
            p.parse::<PayerId>()
                .map_err(|_| AppError::field("payer_id", "Choose a payer from the list."))?,
        ),
    };
    Ok(ClaimFilter { status, payer_id })
}
