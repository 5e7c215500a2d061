//! The chart's activity history.

use crate::clients::api::client_activity;
use crate::clients::types::activity_label;
use crate::ids::ClientId;
use crate::ui::feedback::{EmptyState, Loading};
use leptos::prelude::*;

#[component]
pub fn ActivitySection(client_id: ClientId) -> impl IntoView {
    let items = Resource::new(|| (), move |_| client_activity(client_id));
    view! {
        <section class="card" aria-labelledby="activity-title">
            <h2 id="activity-title">"Activity"</h2>
            <Suspense fallback=|| view! { <Loading label="Loading the activity history…"/> }>
                {move || Suspend::new(async move {
                    items.await.map(|items| {
                        if items.is_empty() {
                            return view! { <EmptyState>"No activity recorded."</EmptyState> }.into_any();
                        }
                        view! {
                            <table class="table table-dense">
                                <thead><tr><th scope="col">"When"</th><th scope="col">"What"</th><th scope="col">"Who"</th></tr></thead>
                                <tbody>
                                    {items.into_iter().map(|i| view! {
                                        <tr class:row-inactive=i.outcome != "success">
                                            <td>{i.when.clone()}</td>
                                            <td>
                                                {activity_label(&i.action)}
                                                {(i.outcome == "denied").then_some(" (refused)")}
                                            </td>
                                            <td>{i.actor_name.unwrap_or_else(|| "System".into())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    })
                })}
            </Suspense>
        </section>
    }
}
