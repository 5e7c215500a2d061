//! Billing's pages: the queue of sessions to bill, claims, a claim, batches, fees, payments and
//! remittances, and a client's ledger.

pub mod batches;
pub mod claim;
pub mod claims;
pub mod era;
pub mod fees;
pub mod ledger;
pub mod payments;
pub mod receivables;
pub mod work;

use leptos::prelude::*;

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
