//! The chart's care team: staff besides the primary clinician who work with the client (and so see
//! the chart). Admin and front desk add and remove members.

use crate::clients::api::{clinician_options, AddCareTeamMember, RemoveCareTeamMember};
use crate::clients::types::ClinicianOption;
use crate::ids::ClientId;
use crate::ui::feedback::{ActionError, EmptyState, ErrorNotice, Loading};
use crate::ui::form::{action_error, field_errors, form_error};
use leptos::prelude::*;

#[component]
pub fn CareTeam(
    client_id: ClientId,
    members: Vec<ClinicianOption>,
    can_edit: bool,
    add: ServerAction<AddCareTeamMember>,
    remove: ServerAction<RemoveCareTeamMember>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="care-team-title">
            <h2 id="care-team-title">"Care team"</h2>
            <ActionError error=action_error(remove.value())/>
            {if members.is_empty() {
                view! { <EmptyState>"Only the primary clinician works with this client."</EmptyState> }.into_any()
            } else {
                view! {
                    <ul class="alerts">
                        {members.into_iter().map(|m| {
                            let user_id = m.id;
                            view! {
                                <li>
                                    {m.display_name.clone()}
                                    {can_edit.then(|| view! {
                                        " "
                                        <button type="button" class="btn btn-quiet"
                                            aria-label=format!("Remove {} from the care team", m.display_name)
                                            on:click=move |_| { remove.dispatch(RemoveCareTeamMember { client_id, user_id }); }>
                                            "Remove"
                                        </button>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_edit.then(|| view! { <AddMember client_id add/> })}
        </section>
    }
}

#[component]
fn AddMember(client_id: ClientId, add: ServerAction<AddCareTeamMember>) -> impl IntoView {
    let result = add.value();
    let clinicians = Resource::new(|| (), |_| clinician_options());
    view! {
        <ActionForm action=add attr:class="inline-form" attr:novalidate="true">
            <input type="hidden" name="client_id" value=client_id.to_string()/>
            <div class="field">
                <label for="care-team-member">"Add to the care team"</label>
                <Suspense fallback=|| view! { <Loading label="Loading clinicians…"/> }>
                    {move || Suspend::new(async move {
                        clinicians.await.map(|list| view! {
                            <select id="care-team-member" name="user_id">
                                <option value="">"Choose a clinician"</option>
                                {list.into_iter().map(|c| view! { <option value=c.id.to_string()>{c.display_name}</option> }).collect_view()}
                            </select>
                        })
                    })}
                </Suspense>
                {move || field_errors(result, "user_id").get().first().cloned().map(|m| view! { <p class="field-errors" role="alert">{m}</p> })}
            </div>
            <button type="submit" class="btn" disabled=move || add.pending().get()>"Add"</button>
            {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
        </ActionForm>
    }
}
