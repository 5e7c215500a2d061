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
/// `action` as multipart, so it works before the WASM loads. A refused file comes back as
/// `?refused=<id>`; the sentence is the server's, asked for by id and shown next to the field.
#[component]
pub fn X12Upload(
    action: &'static str,
    /// The field's id (the page may hold other forms).
    id: &'static str,
    label: &'static str,
    button: &'static str,
) -> impl IntoView {
    let query = use_query_map();
    let refusal = Resource::new(
        move || query.with(|q| q.get("refused")),
        |refused| async move {
            let id = refused?;
            // a refusal that is gone (or another person's) still says the file was refused
            Some(
                crate::billing::api::load_upload_refusal(id)
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| "The file was refused: choose it again.".into()),
            )
        },
    );
    let error_id = format!("{id}-error");
    view! {
        <form method="post" action=action enctype="multipart/form-data" class="upload-form">
            <Suspense fallback=move || view! { <UploadField id label refused=None error_id=error_id.clone()/> }>
                {move || Suspend::new(async move {
                    let refused = refusal.await;
                    view! { <UploadField id label refused error_id=format!("{id}-error")/> }
                })}
            </Suspense>
            <button type="submit" class="btn btn-primary">{button}</button>
        </form>
    }
}

#[component]
fn UploadField(
    id: &'static str,
    label: &'static str,
    refused: Option<String>,
    error_id: String,
) -> impl IntoView {
    let invalid = refused.is_some();
    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id>{label}</label>
            <input id=id name="file" type="file" accept=".835,.999,.txt,.edi,.x12,text/plain" required
                aria-describedby=invalid.then(|| error_id.clone())
                aria-invalid=invalid.to_string()/>
            {refused.map(|m| view! { <ul class="field-errors" id=error_id><li>{m}</li></ul> })}
        </div>
    }
}
