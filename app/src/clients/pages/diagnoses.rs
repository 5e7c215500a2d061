//! The chart's diagnoses: the list, and for clinical staff a type-ahead to add one by code or words.

use crate::clients::api::{client_diagnoses, search_icd10, AddDiagnosis};
use crate::clients::types::{diagnosis_kind_label, Diagnosis, DIAGNOSIS_KINDS};
use crate::ids::ClientId;
use crate::ui::feedback::{EmptyState, ErrorNotice, Loading};
use crate::ui::form::{field_errors, form_error, successes};
use leptos::prelude::*;

#[component]
pub fn DiagnosesSection(client_id: ClientId) -> impl IntoView {
    let add = ServerAction::<AddDiagnosis>::new();
    let add_saved = successes(add.value());
    let list = Resource::new(
        move || add_saved.get(),
        move |_| client_diagnoses(client_id),
    );
    view! {
        <section class="card" aria-labelledby="dx-title">
            <h2 id="dx-title">"Diagnoses"</h2>
            <Suspense fallback=|| view! { <Loading label="Loading diagnoses…"/> }>
                {move || Suspend::new(async move {
                    list.await.map(|list| view! {
                        {if list.diagnoses.is_empty() {
                            view! { <EmptyState>"No diagnoses recorded."</EmptyState> }.into_any()
                        } else {
                            view! { <DiagnosisTable rows=list.diagnoses/> }.into_any()
                        }}
                        {list.can_edit.then(|| view! { <AddDiagnosisForm client_id add/> })}
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn DiagnosisTable(rows: Vec<Diagnosis>) -> impl IntoView {
    view! {
        <table class="table">
            <thead><tr>
                <th scope="col">"Code"</th><th scope="col">"Diagnosis"</th><th scope="col">"Type"</th>
                <th scope="col">"Onset"</th><th scope="col">"Resolved"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|d| {
                    let date = |x: Option<chrono::NaiveDate>| x.map(|d| d.format("%m/%d/%Y").to_string()).unwrap_or_else(|| "—".into());
                    view! {
                        <tr class:row-inactive=d.resolved_on.is_some()>
                            <td><code>{d.code.clone()}</code></td>
                            <td>{d.description.clone().unwrap_or_else(|| "—".into())}</td>
                            <td>{diagnosis_kind_label(&d.kind)}</td>
                            <td>{date(d.onset_on)}</td>
                            <td>{date(d.resolved_on)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn AddDiagnosisForm(client_id: ClientId, add: ServerAction<AddDiagnosis>) -> impl IntoView {
    let result = add.value();
    let typed = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<(String, String)>);
    let matches = Resource::new(
        move || typed.get(),
        |q| async move {
            if q.trim().chars().count() < 2 {
                Ok(Vec::new())
            } else {
                search_icd10(q).await
            }
        },
    );
    let form_ref = NodeRef::<leptos::html::Form>::new();
    Effect::new(move || {
        if let (Some(Ok(())), Some(form)) = (result.get(), form_ref.get()) {
            form.reset();
            chosen.set(None);
            typed.set(String::new());
        }
    });
    view! {
        <ActionForm action=add node_ref=form_ref attr:class="dx-form" attr:novalidate="true">
            <h3>"Add a diagnosis"</h3>
            <input type="hidden" name="client_id" value=client_id.to_string()/>
            <input type="hidden" name="code" prop:value=move || chosen.get().map(|(c, _)| c).unwrap_or_default()/>
            <div class="field">
                <label for="dx-search">"Diagnosis"</label>
                <input id="dx-search" type="search" autocomplete="off" role="combobox" aria-controls="dx-options"
                    aria-expanded=move || (chosen.get().is_none() && typed.with(|t| t.trim().len() >= 2)).to_string()
                    placeholder="Type a code (F41.1) or words (anxiety)"
                    prop:value=move || chosen.get().map(|(c, d)| format!("{c} — {d}")).unwrap_or_else(|| typed.get())
                    on:input=move |ev| { chosen.set(None); typed.set(event_target_value(&ev)); }/>
                {move || field_errors(result, "code").get().first().cloned().map(|m| view! { <p class="field-errors" role="alert">{m}</p> })}
                <Show when=move || chosen.get().is_none() && typed.with(|t| t.trim().len() >= 2)>
                    <Transition fallback=|| view! { <Loading label="Searching codes…"/> }>
                        {move || Suspend::new(async move {
                            matches.await.map(|codes| {
                                if codes.is_empty() {
                                    return view! { <p class="muted">"No billable code matches."</p> }.into_any();
                                }
                                view! {
                                    <ul id="dx-options" class="options" role="listbox" aria-label="Matching diagnoses">
                                        {codes.into_iter().map(|c| {
                                            let pick = (c.code.clone(), c.description.clone());
                                            view! {
                                                <li role="option" aria-selected="false">
                                                    <button type="button" class="option" on:click=move |_| chosen.set(Some(pick.clone()))>
                                                        <code>{c.code.clone()}</code>" "{c.description.clone()}
                                                    </button>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            })
                        })}
                    </Transition>
                </Show>
            </div>
            <div class="inline-form">
                <div class="field">
                    <label for="dx-kind">"Type"</label>
                    <select id="dx-kind" name="kind">
                        {DIAGNOSIS_KINDS.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
                    </select>
                    {move || field_errors(result, "kind").get().first().cloned().map(|m| view! { <p class="field-errors" role="alert">{m}</p> })}
                </div>
                <div class="field">
                    <label for="dx-onset">"Onset"</label>
                    <input id="dx-onset" name="onset_on" type="text" placeholder="MM/DD/YYYY"/>
                    {move || field_errors(result, "onset_on").get().first().cloned().map(|m| view! { <p class="field-errors" role="alert">{m}</p> })}
                </div>
                <button type="submit" class="btn btn-primary" disabled=move || chosen.get().is_none() || add.pending().get()>"Add diagnosis"</button>
            </div>
            {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
        </ActionForm>
    }
}
