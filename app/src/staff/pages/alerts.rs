//! Licenses that need renewing soon: everyone's for admins, one's own for the rest.

use crate::staff::api::license_alerts;
use crate::staff::types::expiry_alert;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn LicenseAlerts() -> impl IntoView {
    let alerts = Resource::new(|| (), |_| license_alerts());
    let today = crate::ui::clock::practice_clock()();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                // alerts are a courtesy on the home page: a failure to load them shows nothing
                let alerts = alerts.await.unwrap_or_default();
                (!alerts.is_empty()).then(|| view! {
                    <section class="card notice-warning" aria-labelledby="license-alerts-title">
                        <h2 id="license-alerts-title">"Licenses to renew"</h2>
                        <ul class="alerts">
                            {alerts.into_iter().map(|a| {
                                let text = expiry_alert(a.expires_on, today).unwrap_or_default();
                                view! {
                                    <li>
                                        <A href=format!("/staff/{}", a.user_id)>{a.display_name.clone()}</A>
                                        {format!(" — {} ({}): {text}", a.license_type, a.state)}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
    }
}
