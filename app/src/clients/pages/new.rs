use crate::clients::api::CreateClient;
use crate::clients::components::client_fields::ClientFields;
use crate::ui::feedback::ErrorNotice;
use crate::ui::form::form_error;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

#[component]
pub fn NewClientPage() -> impl IntoView {
    let create = ServerAction::<CreateClient>::new();
    let result = create.value();
    let navigate = use_navigate();
    Effect::new(move || {
        if let Some(Ok(id)) = result.get() {
            navigate(&format!("/clients/{id}"), Default::default());
        }
    });
    let error =
        Signal::derive(move || result.with(|r| r.as_ref().and_then(|r| r.as_ref().err().cloned())));
    view! {
        <Title text="New client · MentalSpace EHR"/>
        <h1>"New client"</h1>
        <ActionForm action=create attr:novalidate="true" attr:class="client-form">
            <ClientFields with_status=true error/>
            {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
            {move || matches!(result.get(), Some(Err(crate::error::AppError::Validation { .. }))).then(|| view! {
                <div class="notice notice-error" role="alert">"Please correct the highlighted fields."</div>
            })}
            <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>"Create client"</button>
        </ActionForm>
    }
}
