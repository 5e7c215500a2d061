//! A client's money: what is owed and by whom, taking a payment (a copay at check-in), the ledger
//! line by line with running balances, and for billers the write-offs and transfers.

use crate::auth::types::{Permission, SessionInfo};
use crate::billing::api::{
    load_ledger, Allocate, ApplyCredit, Refund, TakePayment, TransferToClient, WriteOff,
};
use crate::billing::types::{ClientLedger, OwedCharge};
use crate::ui::feedback::{ActionError, EmptyState, ErrorNotice, Loading};
use crate::ui::form::{
    action_error, field_errors, form_error, reset_on_success, successes, CheckField, Field,
    SelectField,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[derive(Clone, Copy)]
struct Actions {
    pay: ServerAction<TakePayment>,
    apply: ServerAction<ApplyCredit>,
    write_off: ServerAction<WriteOff>,
    transfer: ServerAction<TransferToClient>,
    allocate: ServerAction<Allocate>,
    refund: ServerAction<Refund>,
}

#[component]
pub fn LedgerPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let actions = Actions {
        pay: ServerAction::new(),
        apply: ServerAction::new(),
        write_off: ServerAction::new(),
        transfer: ServerAction::new(),
        allocate: ServerAction::new(),
        refund: ServerAction::new(),
    };
    let paid = successes(actions.pay.value());
    let applied = successes(actions.apply.value());
    let written = successes(actions.write_off.value());
    let moved = successes(actions.transfer.value());
    let allocated = successes(actions.allocate.value());
    let refunded = successes(actions.refund.value());
    let ledger = Resource::new(
        move || {
            (
                params.with(|p| p.get("id")),
                paid.get()
                    + applied.get()
                    + written.get()
                    + moved.get()
                    + allocated.get()
                    + refunded.get(),
            )
        },
        |(id, _)| async move {
            let id = id
                .and_then(|i| i.parse().ok())
                .ok_or(crate::error::AppError::NotFound)?;
            load_ledger(id).await
        },
    );
    let appointment = move || query.with(|q| q.get("appointment")).unwrap_or_default();
    view! {
        <Title text="Balance · MentalSpace EHR"/>
        <Transition fallback=|| view! { <Loading label="Opening the ledger…"/> }>
            {move || Suspend::new(async move {
                ledger.await.map(|l| view! { <Ledger ledger=l actions appointment=appointment()/> })
            })}
        </Transition>
    }
    .into_any()
}

#[component]
fn Ledger(ledger: ClientLedger, actions: Actions, appointment: String) -> impl IntoView {
    let biller =
        use_context::<SessionInfo>().is_some_and(|i| i.user.role.can(Permission::ManageBilling));
    let reads_diagnoses = use_context::<SessionInfo>()
        .is_some_and(|i| i.user.role.can(Permission::ReadDiagnosisCodes));
    let client = ledger.client_id;
    let balance = ledger.client_balance();
    view! {
        <h1>{format!("{} · balance", ledger.client_name)}</h1>
        <p><a href=format!("/clients/{client}")>"Back to the chart"</a></p>
        <section class="card" aria-labelledby="totals-title">
            <h2 id="totals-title">"What is owed"</h2>
            <dl class="facts totals">
                <dt>"Client owes"</dt><dd data-testid="client-balance">{balance.to_string()}</dd>
                <dt>"Insurance owes"</dt><dd data-testid="insurance-balance">{ledger.insurance_balance.to_string()}</dd>
                <dt>"Credit on account"</dt><dd data-testid="credit">{ledger.credit.to_string()}</dd>
                <dt>"Copay due today"</dt><dd data-testid="copay-due">{ledger.copay_due.to_string()}</dd>
            </dl>
            {(ledger.credit.cents() > 0 && ledger.client_owes.cents() > 0).then(|| view! {
                <button type="button" class="btn" disabled=move || actions.apply.pending().get()
                    on:click=move |_| { actions.apply.dispatch(ApplyCredit { client }); }>
                    "Apply the credit to the oldest charges"
                </button>
            })}
            <ActionError error=action_error(actions.apply.value())/>
            {(biller && ledger.credit.cents() > 0).then(|| view! { <RefundForm client refund=actions.refund/> })}
        </section>
        <PaymentForm client pay=actions.pay suggested=ledger.copay_due.cents().max(balance.cents()).max(0) appointment/>
        <section class="card" aria-labelledby="open-title">
            <h2 id="open-title">"Open charges"</h2>
            <ActionError error=action_error(actions.write_off.value())/>
            <ActionError error=action_error(actions.transfer.value())/>
            <ActionError error=action_error(actions.allocate.value())/>
            {if ledger.open_charges.is_empty() {
                view! { <EmptyState>"Nothing is owed on any charge."</EmptyState> }.into_any()
            } else {
                view! { <OpenCharges charges=ledger.open_charges.clone() biller actions/> }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="ledger-title">
            <h2 id="ledger-title">"Ledger"</h2>
            {if ledger.lines.is_empty() {
                view! { <EmptyState>"Nothing has been charged or paid yet."</EmptyState> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                    <table class="table ledger">
                        <thead><tr>
                            <th scope="col">"Posted"</th><th scope="col">"Session"</th><th scope="col">"What"</th>
                            <th scope="col" class="num">"Insurance"</th><th scope="col" class="num">"Client"</th>
                            <th scope="col" class="num">"Insurance balance"</th><th scope="col" class="num">"Client balance"</th>
                        </tr></thead>
                        <tbody>
                            {ledger.lines.iter().map(|l| view! {
                                <tr>
                                    <td>{l.posted_on.format("%m/%d/%Y").to_string()}</td>
                                    <td>{l.service_date.map(|d| format!("{} {}", d.format("%m/%d/%Y"), l.service_code.clone().unwrap_or_default())).unwrap_or_else(|| "Account".into())}</td>
                                    <td>{l.kind.label()}{(!l.detail.is_empty()).then(|| view! { <div class="muted small">{l.detail.clone()}</div> })}</td>
                                    <td class="num">{(l.insurance.cents() != 0).then(|| l.insurance.to_string())}</td>
                                    <td class="num">{(l.client.cents() != 0).then(|| l.client.to_string())}</td>
                                    <td class="num">{l.insurance_balance.to_string()}</td>
                                    <td class="num">{l.client_balance.to_string()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            }}
        </section>
        <Papers client superbill=reads_diagnoses/>
        <section class="card" aria-labelledby="payments-title">
            <h2 id="payments-title">"Payments and refunds"</h2>
            {if ledger.payments.is_empty() {
                view! { <EmptyState>"No payment has been taken."</EmptyState> }.into_any()
            } else {
                view! {
                    <ul class="payments">
                        {ledger.payments.iter().map(|p| view! {
                            <li>
                                {format!("{} · {} {} ({}) · {}", p.received_at.format("%m/%d/%Y"), if p.refund { "Refund" } else { "Payment" }, p.amount, p.method.label(), p.received_by)}
                                " "
                                <a href=format!("/billing/payments/{}/receipt.pdf", p.id) rel="external">{format!("Receipt {}", p.receipt_number)}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn PaymentForm(
    client: crate::ids::ClientId,
    pay: ServerAction<TakePayment>,
    suggested: i64,
    appointment: String,
) -> impl IntoView {
    let result = pay.value();
    let e = move |f: &'static str| field_errors(result, f);
    let form_ref = reset_on_success(result);
    let methods = vec![
        ("cash".to_owned(), "Cash".to_owned()),
        ("check".to_owned(), "Check".to_owned()),
        ("card".to_owned(), "Card".to_owned()),
    ];
    let amount = if suggested > 0 {
        crate::money::Money(suggested)
            .to_string()
            .trim_start_matches('$')
            .replace(',', "")
    } else {
        String::new()
    };
    view! {
        <section class="card" aria-labelledby="pay-title">
            <h2 id="pay-title">"Take a payment"</h2>
            {move || result.get().and_then(Result::ok).map(|t| view! {
                <p class="notice notice-success" role="status">
                    {format!("Payment recorded (receipt {}); {} applied to charges.", t.receipt_number, t.applied)}
                    " "
                    <a href=format!("/billing/payments/{}/receipt.pdf", t.id) rel="external">"Print the receipt"</a>
                </p>
            })}
            <ActionForm action=pay node_ref=form_ref attr:novalidate="true">
                <input type="hidden" name="payment[client]" value=client.to_string()/>
                <input type="hidden" name="payment[appointment]" value=appointment/>
                <div class="grid-3">
                    <Field label="Amount" name="amount" prefix="payment" value=amount validate=crate::field_check!(crate::money::Money::parse) errors=e("amount")/>
                    <SelectField label="Method" name="method" prefix="payment" options=methods errors=e("method")/>
                    <Field label="Check number" name="check_number" prefix="payment" hint="For checks" errors=e("check_number")/>
                </div>
                <Field label="Card reference" name="card_reference" prefix="payment" hint="The terminal's reference or the last four digits — never the card number" errors=e("card_reference")/>
                <Field label="Note" name="note" prefix="payment" errors=e("note")/>
                <CheckField label="Apply to the oldest open charges (else it stays as credit)" name="apply" prefix="payment" checked=true errors=e("apply")/>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                <button type="submit" class="btn btn-primary" disabled=move || pay.pending().get()>"Record the payment"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn OpenCharges(charges: Vec<OwedCharge>, biller: bool, actions: Actions) -> impl IntoView {
    view! {
        <table class="table">
            <thead><tr>
                <th scope="col">"Session"</th><th scope="col">"Code"</th><th scope="col" class="num">"Charge"</th>
                <th scope="col" class="num">"Insurance owes"</th><th scope="col" class="num">"Client owes"</th>
                {biller.then(|| view! { <th scope="col">"Change the balance"</th> })}
            </tr></thead>
            <tbody>
                {charges.into_iter().map(|c| {
                    let charge = c.charge_id.to_string();
                    let charge_too = charge.clone();
                    let charge_also = charge.clone();
                    view! {
                        <tr>
                            <td>{c.service_date.format("%m/%d/%Y").to_string()}{c.claim.map(|id| view! { " " <a href=format!("/billing/claims/{id}") class="small">"claim"</a> })}</td>
                            <td>{c.service_code.clone()}</td>
                            <td class="num">{c.amount.to_string()}</td>
                            <td class="num">{c.insurance_owes.to_string()}</td>
                            <td class="num">{c.client_owes.to_string()}</td>
                            {biller.then(|| view! {
                                <td>
                                    <details>
                                        <summary>"Apply credit, write off or bill the client"</summary>
                                        <ActionForm action=actions.allocate attr:class="stack-form">
                                            <input type="hidden" name="charge" value=charge_also.clone()/>
                                            <label>"Credit to apply" <input name="amount" inputmode="decimal" size="8" required/></label>
                                            <button type="submit" class="btn btn-small">"Apply credit"</button>
                                        </ActionForm>
                                        <ActionForm action=actions.write_off attr:class="stack-form">
                                            <input type="hidden" name="charge" value=charge.clone()/>
                                            <label>"Whose share" <select name="party"><option value="client">"Client's"</option><option value="insurance">"Insurer's"</option></select></label>
                                            <label>"Amount" <input name="amount" inputmode="decimal" size="8" required/></label>
                                            <label>"Reason" <input name="reason" maxlength="300" required/></label>
                                            <button type="submit" class="btn btn-small">"Write off"</button>
                                        </ActionForm>
                                        <ActionForm action=actions.transfer attr:class="stack-form">
                                            <input type="hidden" name="charge" value=charge_too.clone()/>
                                            <label>"Amount" <input name="amount" inputmode="decimal" size="8" required/></label>
                                            <label>"Reason" <input name="reason" maxlength="300" required/></label>
                                            <button type="submit" class="btn btn-small">"Move to the client"</button>
                                        </ActionForm>
                                    </details>
                                </td>
                            })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// A statement or superbill for a period: plain GET forms, so the PDF downloads in place.
#[component]
fn Papers(client: crate::ids::ClientId, superbill: bool) -> impl IntoView {
    let today = crate::ui::clock::practice_clock()();
    let year_ago = today - chrono::Duration::days(365);
    let form = move |paper: &'static str, label: &'static str| {
        let id = paper.trim_end_matches(".pdf");
        view! {
            <form method="get" action=format!("/billing/clients/{client}/{paper}") class="inline-form">
                <div class="field">
                    <label for=format!("{id}-from")>"From"</label>
                    <input id=format!("{id}-from") name="from" type="date" value=year_ago.format("%Y-%m-%d").to_string() required/>
                </div>
                <div class="field">
                    <label for=format!("{id}-to")>"To"</label>
                    <input id=format!("{id}-to") name="to" type="date" value=today.format("%Y-%m-%d").to_string() required/>
                </div>
                <button type="submit" class="btn">{label}</button>
            </form>
        }
    };
    view! {
        <section class="card" aria-labelledby="papers-title">
            <h2 id="papers-title">"Statements and superbills"</h2>
            {form("statement.pdf", "Download the statement")}
            // a superbill shows diagnoses: for those who may read them
            {superbill.then(|| form("superbill.pdf", "Download the superbill"))}
        </section>
    }
}

/// Gives credit on the account back to the client (billers and admins), with a reason. Its inputs
/// have ids of their own: the payment form above uses the same field names.
#[component]
fn RefundForm(client: crate::ids::ClientId, refund: ServerAction<Refund>) -> impl IntoView {
    let result = refund.value();
    let input = move |name: &'static str, label: &'static str| {
        let id = format!("refund-{name}");
        let err_id = format!("{id}-error");
        let errors = field_errors(result, name);
        view! {
            <div class="field" class:field-invalid=move || !errors.get().is_empty()>
                <label for=id.clone()>{label}</label>
                <input id=id name=format!("refund[{name}]") aria-describedby=err_id.clone()/>
                <ul class="field-errors" id=err_id>
                    {move || errors.get().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            </div>
        }
    };
    view! {
        <details class="panel-section">
            <summary>"Refund credit"</summary>
            <ActionForm action=refund attr:novalidate="true">
                <input type="hidden" name="client" value=client.to_string()/>
                <div class="grid-3">
                    {input("amount", "Refund amount")}
                    <div class="field">
                        <label for="refund-method">"Refund by"</label>
                        <select id="refund-method" name="refund[method]">
                            <option value="check">"Check"</option>
                            <option value="cash">"Cash"</option>
                            <option value="card">"Card"</option>
                        </select>
                    </div>
                    {input("check_number", "Refund check number")}
                </div>
                {input("reason", "Why")}
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                <button type="submit" class="btn">"Record the refund"</button>
            </ActionForm>
        </details>
    }
}
