//! Editing a client's demographics and care assignment (admin, front desk).

use crate::clients::api::{open_client_chart, UpdateClient};
use crate::clients::components::client_fields::ClientFields;
use crate::error::AppError;
use crate::ui::feedback::{ErrorNotice, Loading};
use crate::ui::form::form_error;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn EditClientPage() -> impl IntoView {
    let params = use_params_map();
    let save = ServerAction::<UpdateClient>::new();
    let result = save.value();
    let chart = Resource::new(
        move || params.with(|p| p.get("id")),
        |id| async move {
            let id = id.and_then(|i| i.parse().ok()).ok_or(AppError::NotFound)?;
            open_client_chart(id).await
        },
    );
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Ok(id)) = result.get() {
            navigate(&format!("/clients/{id}"), Default::default());
        }
    });
    let error =
        Signal::derive(move || result.with(|r| r.as_ref().and_then(|r| r.as_ref().err().cloned())));
    view! {
        <Suspense fallback=|| view! { <Loading label="Opening the record…"/> }>
            {move || Suspend::new(async move {
                chart.await.map(|chart| {
                    let c = chart.client;
                    view! {
                        <Title text=format!("{} · Edit", c.chart_number)/>
                        <p><A href=format!("/clients/{}", c.id)>"← Back to the chart"</A></p>
                        <h1>{format!("Edit {} {}", c.legal_first_name, c.legal_last_name)}</h1>
                        <ActionForm action=save attr:novalidate="true" attr:class="client-form">
                            <input type="hidden" name="id" value=c.id.to_string()/>
                            <ClientFields initial=c.clone() error/>
                            {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                            <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>"Save changes"</button>
                        </ActionForm>
                    }
                })
            })}
        </Suspense>
    }
}
