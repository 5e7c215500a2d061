//! Chart alerts shown under the header, most severe first, with a form for the categories the viewer
//! may add.

use crate::clients::api::{client_flags, AddFlag, ClearFlag};
use crate::clients::types::{flag_category_label, FLAG_CATEGORIES, FLAG_SEVERITIES};
use crate::ids::ClientId;
use crate::ui::feedback::{ActionError, ErrorNotice, Loading};
use crate::ui::form::{action_error, field_errors, form_error, reset_on_success, successes};
use leptos::prelude::*;

#[component]
pub fn FlagsBar(client_id: ClientId) -> impl IntoView {
    let add = ServerAction::<AddFlag>::new();
    let clear = ServerAction::<ClearFlag>::new();
    let add_saved = successes(add.value());
    let clear_saved = successes(clear.value());
    let list = Resource::new(
        move || (add_saved.get(), clear_saved.get()),
        move |_| client_flags(client_id),
    );
    view! {
        <ActionError error=action_error(clear.value())/>
        <Suspense fallback=|| view! { <Loading label="Loading alerts…"/> }>
            {move || Suspend::new(async move {
                list.await.map(|list| view! {
                    <ul class="flags" aria-label="Alerts">
                        {list.flags.into_iter().map(|f| {
                            let (id, may_clear) = (f.id, list.can_add.contains(&f.category));
                            view! {
                                <li class=format!("flag flag-{}", f.severity) data-category=f.category.clone()>
                                    <strong>{flag_category_label(&f.category)}":"</strong>" "{f.text.clone()}
                                    {may_clear.then(|| view! {
                                        " "<button type="button" class="flag-clear" aria-label=format!("Clear the alert: {}", f.text)
                                            on:click=move |_| { clear.dispatch(ClearFlag { id }); }>"×"</button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {(!list.can_add.is_empty()).then(|| view! { <AddFlagForm client_id add categories=list.can_add/> })}
                })
            })}
        </Suspense>
    }
}

#[component]
fn AddFlagForm(
    client_id: ClientId,
    add: ServerAction<AddFlag>,
    categories: Vec<String>,
) -> impl IntoView {
    let result = add.value();
    let form_ref = reset_on_success(result);
    view! {
        <details class="add-contact">
            <summary>"Add an alert"</summary>
            <ActionForm action=add node_ref=form_ref attr:class="inline-form" attr:novalidate="true">
                <input type="hidden" name="client_id" value=client_id.to_string()/>
                <div class="field">
                    <label for="flag-category">"Alert type"</label>
                    <select id="flag-category" name="category">
                        {FLAG_CATEGORIES.iter().filter(|(c, _)| categories.iter().any(|x| x == c)).map(|(v, l)| view! {
                            <option value=*v>{*l}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="flag-severity">"Severity"</label>
                    <select id="flag-severity" name="severity">
                        {FLAG_SEVERITIES.iter().map(|(v, l)| view! { <option value=*v>{*l}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field field-grow">
                    <label for="flag-text">"Alert"</label>
                    <input id="flag-text" name="text" type="text" maxlength="200"/>
                    {move || field_errors(result, "text").get().first().cloned().map(|m| view! { <p class="field-errors" role="alert">{m}</p> })}
                </div>
                <button type="submit" class="btn" disabled=move || add.pending().get()>"Add alert"</button>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
            </ActionForm>
        </details>
    }
}
