//! Billing's pages: the queue of sessions to bill, claims, a claim, batches, fees, payments and
//! remittances, and a client's ledger.

pub mod batches;
pub mod claim;
pub mod claims;
pub mod era;
pub mod fees;
pub mod ledger;
pub mod own;
pub mod payer_rules;
pub mod payments;
pub mod receivables;
pub mod work;

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The tabs across billing's pages.
#[component]
pub fn BillingTabs(current: &'static str) -> impl IntoView {
    let tabs = [
        ("/billing", "Ready to bill"),
        ("/billing/claims", "Claims"),
        ("/billing/batches", "Batches"),
        ("/billing/payments", "Payments"),
        ("/billing/receivables", "Receivables"),
        ("/billing/fees", "Fee schedule"),
    ];
    view! {
        <nav class="tabs" aria-label="Billing">
            {tabs.into_iter().map(|(href, label)| {
                let here = href == current;
                view! {
                    <a href=href class="tab" class:tab-current=here aria-current=here.then_some("page")>{label}</a>
                }
            }).collect_view()}
        </nav>
    }
}

/// Cents as dollars, for totals that come as plain numbers.
pub fn dollars(cents: i64) -> String {
    crate::money::Money(cents).to_string()
}

/// A plain upload form for an X12 file that comes back from a payer (835, 999): it posts to
/// `action` as multipart, so it works before the WASM loads, and a refusal comes back as `?error=`
/// shown next to the field.
#[component]
pub fn X12Upload(
    action: &'static str,
    /// The field's id (the page may hold other forms).
    id: &'static str,
    label: &'static str,
    button: &'static str,
) -> impl IntoView {
    let query = use_query_map();
    let refused = move || query.with(|q| q.get("error"));
    let error_id = format!("{id}-error");
    view! {
        <form method="post" action=action enctype="multipart/form-data" class="upload-form">
            <div class="field" class:field-invalid=move || refused().is_some()>
                <label for=id>{label}</label>
                <input id=id name="file" type="file" accept=".835,.999,.txt,.edi,.x12,text/plain" required
                    aria-describedby={let error_id = error_id.clone(); move || refused().map(|_| error_id.clone())}
                    aria-invalid=move || refused().is_some().to_string()/>
                {move || refused().map(|m| view! { <ul class="field-errors" id=error_id.clone()><li>{m}</li></ul> })}
            </div>
            <button type="submit" class="btn btn-primary">{button}</button>
        </form>
    }
}
