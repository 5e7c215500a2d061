//! The client type-ahead of the booking and waitlist forms: finds a client by name or chart number and
//! submits their id in a hidden field.

use crate::clients::api::search_clients;
use crate::clients::types::ClientQuery;
use crate::ui::feedback::Loading;
use leptos::prelude::*;

/// Finds the client by name or chart number and puts their id in the form.
#[component]
pub fn ClientTypeahead(
    /// the submitted name, e.g. `booking[client_ids]`
    name: &'static str,
    /// the visible input's id (the list's id derives from it)
    id: &'static str,
    #[prop(into)] errors: Signal<Vec<String>>,
    /// a count that clears the choice when it changes (the form was saved)
    #[prop(optional, into)]
    reset: Option<Signal<usize>>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<(String, String)>);
    if let Some(reset) = reset {
        Effect::watch(
            move || reset.get(),
            move |_, _, _| {
                chosen.set(None);
                typed.set(String::new());
            },
            false,
        );
    }
    let list_id = StoredValue::new(format!("{id}-options"));
    let open = move || chosen.get().is_none() && typed.with(|t| t.trim().chars().count() >= 2);
    let matches = Resource::new(
        move || typed.get(),
        |q| async move {
            if q.trim().chars().count() < 2 {
                return Ok(Vec::new());
            }
            search_clients(ClientQuery {
                q,
                ..Default::default()
            })
            .await
            .map(|page| page.rows.into_iter().take(8).collect::<Vec<_>>())
        },
    );
    view! {
        <div class="field" class:field-invalid=move || !errors.get().is_empty()>
            <input type="hidden" name=name prop:value=move || chosen.get().map(|c| c.0).unwrap_or_default()/>
            <label for=id>"Client"</label>
            <input id=id type="search" autocomplete="off" role="combobox" aria-controls=list_id.get_value()
                aria-expanded=move || open().to_string()
                placeholder="Type a name or chart number"
                prop:value=move || chosen.get().map(|c| c.1).unwrap_or_else(|| typed.get())
                on:input=move |ev| { chosen.set(None); typed.set(event_target_value(&ev)); }/>
            {move || errors.get().first().cloned().map(|m| view! { <p class="field-errors" role="alert">{m}</p> })}
            <Show when=open>
                <Transition fallback=|| view! { <Loading label="Searching clients…"/> }>
                    {move || Suspend::new(async move {
                        matches.await.map(|rows| {
                            if rows.is_empty() {
                                return view! { <p class="muted">"No client matches."</p> }.into_any();
                            }
                            view! {
                                <ul id=list_id.get_value() class="options" role="listbox" aria-label="Matching clients">
                                    {rows.into_iter().map(|c| {
                                        let name = format!("{} {}", c.preferred_name.clone().unwrap_or_else(|| c.legal_first_name.clone()), c.legal_last_name);
                                        let pick = (c.id.to_string(), name.clone());
                                        view! {
                                            <li role="option" aria-selected="false">
                                                <button type="button" class="option" on:click=move |_| chosen.set(Some(pick.clone()))>
                                                    {name}" "<span class="muted">{format!("#{} · born {}", c.chart_number, c.date_of_birth.format("%m/%d/%Y"))}</span>
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
    }
    .into_any()
}
