//! The staff directory: who works here, their credentials, supervisor and calendar colour.

use crate::staff::api::staff_directory;
use crate::ui::feedback::{EmptyState, Loading};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn StaffDirectoryPage() -> impl IntoView {
    let info = expect_context::<crate::auth::types::SessionInfo>();
    let admin = info
        .user
        .role
        .can(crate::auth::types::Permission::ManageStaff);
    let me = info.user.id;
    let rows = Resource::new(|| (), |_| staff_directory());
    view! {
        <Title text="Staff · MentalSpace EHR"/>
        <h1>"Staff"</h1>
        <super::alerts::LicenseAlerts/>
        <section class="card">
            <Suspense fallback=|| view! { <Loading label="Loading the staff directory…"/> }>
                {move || Suspend::new(async move {
                    rows.await.map(|rows| {
                        if rows.is_empty() {
                            return view! { <EmptyState>"No active staff."</EmptyState> }.into_any();
                        }
                        view! {
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">"Name"</th><th scope="col">"Role"</th><th scope="col">"Credentials"</th>
                                    <th scope="col">"Supervisor"</th><th scope="col">"NPI"</th><th scope="col">"Email"</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|s| {
                                        let linked = admin || s.user_id == me;
                                        let name = s.display_name.clone();
                                        view! {
                                            <tr>
                                                <td>
                                                    <span class="swatch" style=format!("background:{}", s.calendar_color) aria-hidden="true"></span>
                                                    {if linked {
                                                        view! { <A href=format!("/staff/{}", s.user_id)>{name}</A> }.into_any()
                                                    } else {
                                                        view! { <span>{name}</span> }.into_any()
                                                    }}
                                                </td>
                                                <td>{s.role.label()}</td>
                                                <td>{s.credentials.unwrap_or_else(|| "—".into())}</td>
                                                <td>{s.supervisor_name.unwrap_or_else(|| "—".into())}</td>
                                                <td>{s.npi.unwrap_or_else(|| "—".into())}</td>
                                                <td><a href=format!("mailto:{}", s.email)>{s.email.clone()}</a></td>
                                            </tr>
                                        }
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
