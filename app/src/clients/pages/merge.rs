//! Merging a duplicate record into this one (admins). Both records and histories are kept.

use crate::clients::api::MergeClients;
use crate::ids::ClientId;
use crate::ui::feedback::ErrorNotice;
use crate::ui::form::{field_errors, form_error};
use leptos::prelude::*;

#[component]
pub fn MergeForm(keep: ClientId, merge: ServerAction<MergeClients>) -> impl IntoView {
    let result = merge.value();
    view! {
        <details class="add-contact">
            <summary>"Merge a duplicate record into this one"</summary>
            <p class="muted">"The duplicate's contacts, insurance, diagnoses, alerts and care team move here; both records and their histories are kept, and the duplicate no longer appears in lists."</p>
            <ActionForm action=merge attr:class="inline-form" attr:novalidate="true">
                <input type="hidden" name="keep" value=keep.to_string()/>
                <div class="field">
                    <label for="merge-duplicate">"Chart number of the duplicate"</label>
                    <input id="merge-duplicate" name="duplicate" type="text" placeholder="C1234"/>
                    {move || field_errors(result, "duplicate").get().first().cloned().map(|m| view! { <p class="field-errors" role="alert">{m}</p> })}
                </div>
                <button type="submit" class="btn btn-danger" disabled=move || merge.pending().get()>"Merge"</button>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                {move || matches!(result.get(), Some(Ok(()))).then(|| view! { <p class="notice notice-success" role="status">"Merged."</p> })}
            </ActionForm>
        </details>
    }
}
