//! Each payer's claim rules on the fee schedule page: the kind of plan its claims are filed under
//! (SBR09 of the 837P, box 1 of the CMS-1500), and whether an intern's sessions bill under the
//! supervising clinician.

use crate::billing::api::SetPayerRules;
use crate::billing::types::{FilingIndicator, PayerRules};
use crate::ui::feedback::{ActionError, EmptyState};
use crate::ui::form::action_error;
use leptos::prelude::*;

#[component]
pub fn PayerRulesCard(rules: Vec<PayerRules>) -> impl IntoView {
    let save = ServerAction::<SetPayerRules>::new();
    view! {
        <section class="card" aria-labelledby="payer-rules-title">
            <h2 id="payer-rules-title">"Payers' claim rules"</h2>
            <p class="muted">"Claims made from now on follow these; claims already sent keep what they said."</p>
            <ActionError error=action_error(save.value())/>
            {move || save.value().get().and_then(Result::ok).map(|_| view! {
                <p class="notice notice-success" role="status">"Saved."</p>
            })}
            {if rules.is_empty() {
                view! { <EmptyState>"No active payers. Add payers in Settings."</EmptyState> }.into_any()
            } else {
                view! {
                    <table class="table" aria-labelledby="payer-rules-title">
                        <thead><tr>
                            <th scope="col">"Payer"</th><th scope="col">"Kind of plan"</th>
                            <th scope="col">"Intern's sessions"</th><th scope="col"><span class="sr-only">"Save"</span></th>
                        </tr></thead>
                        <tbody>
                            {rules.into_iter().map(|r| view! { <RuleRow rule=r save/> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn RuleRow(rule: PayerRules, save: ServerAction<SetPayerRules>) -> impl IntoView {
    let form_id = format!("payer-rules-{}", rule.payer_id);
    let select_id = format!("{form_id}-filing");
    let check_id = format!("{form_id}-supervisor");
    let save_label = format!("Save the rules of {}", rule.name);
    view! {
        <tr data-payer=rule.name.clone()>
            <td>{rule.name.clone()}</td>
            <td>
                <label for=select_id.clone() class="sr-only">{format!("Kind of plan of {}", rule.name)}</label>
                <select id=select_id name="filing_indicator" form=form_id.clone()>
                    {FilingIndicator::ALL.into_iter().map(|f| view! {
                        <option value=f.code() selected=f == rule.filing_indicator>{format!("{} ({})", f.label(), f.code())}</option>
                    }).collect_view()}
                </select>
            </td>
            <td>
                <input type="checkbox" id=check_id.clone() name="supervisor_renders" form=form_id.clone()
                    checked=rule.supervisor_renders_for_interns/>
                <label for=check_id>"Billed under the supervisor"<span class="sr-only">{format!(" ({})", rule.name)}</span></label>
            </td>
            <td>
                <ActionForm action=save attr:id=form_id>
                    <input type="hidden" name="payer_id" value=rule.payer_id.to_string()/>
                    <button type="submit" class="btn btn-small" disabled=move || save.pending().get()
                        aria-label=save_label>"Save"</button>
                </ActionForm>
            </td>
        </tr>
    }
}
