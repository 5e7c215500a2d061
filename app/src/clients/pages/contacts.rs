//! The chart's contact people, and (admin, front desk) a form to add one.

use crate::clients::api::{client_contacts, AddContact, RemoveContact};
use crate::clients::types::{contact_kind_label, ClientContact, CONTACT_KINDS};
use crate::field_check;
use crate::fields::{format_phone, parse_phone};
use crate::ids::ClientId;
use crate::ui::feedback::{ActionError, EmptyState, ErrorNotice, Loading};
use crate::ui::form::{
    action_error, choices, field_errors, form_error, reset_on_success, successes, CheckField,
    Field, SelectField,
};
use leptos::prelude::*;

#[component]
pub fn ContactsSection(client_id: ClientId) -> impl IntoView {
    let add = ServerAction::<AddContact>::new();
    let remove = ServerAction::<RemoveContact>::new();
    let add_saved = successes(add.value());
    let remove_saved = successes(remove.value());
    let list = Resource::new(
        move || (add_saved.get(), remove_saved.get()),
        move |_| client_contacts(client_id),
    );
    view! {
        <section class="card" aria-labelledby="contacts-title">
            <h2 id="contacts-title">"Contacts"</h2>
            <ActionError error=action_error(remove.value())/>
            <Suspense fallback=|| view! { <Loading label="Loading contacts…"/> }>
                {move || Suspend::new(async move {
                    list.await.map(|list| view! {
                        {if list.contacts.is_empty() {
                            view! { <EmptyState>"No emergency contact or guardian recorded."</EmptyState> }.into_any()
                        } else {
                            view! { <ContactTable rows=list.contacts can_edit=list.can_edit remove/> }.into_any()
                        }}
                        {list.can_edit.then(|| view! { <AddContactForm client_id add/> })}
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ContactTable(
    rows: Vec<ClientContact>,
    can_edit: bool,
    remove: ServerAction<RemoveContact>,
) -> impl IntoView {
    view! {
        <table class="table">
            <thead><tr>
                <th scope="col">"Name"</th><th scope="col">"Role"</th><th scope="col">"Relationship"</th>
                <th scope="col">"Phone"</th><th scope="col">"Email"</th><th scope="col">"May receive information"</th>
                {can_edit.then(|| view! { <th scope="col"><span class="sr-only">"Action"</span></th> })}
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|c| {
                    let id = c.id;
                    view! {
                    <tr>
                        <td>{c.name.clone()}</td>
                        <td>{contact_kind_label(&c.kind)}</td>
                        <td>{c.relationship.clone()}</td>
                        <td>{c.phone.as_deref().map(format_phone).unwrap_or_else(|| "—".into())}</td>
                        <td>{c.email.clone().unwrap_or_else(|| "—".into())}</td>
                        <td>{if c.may_receive_info { "Yes" } else { "No" }}</td>
                        {can_edit.then(|| view! {
                            <td><button type="button" class="btn btn-quiet" aria-label=format!("Remove {} from the contacts", c.name)
                                on:click=move |_| { remove.dispatch(RemoveContact { id }); }>"Remove"</button></td>
                        })}
                    </tr>
                }}).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn AddContactForm(client_id: ClientId, add: ServerAction<AddContact>) -> impl IntoView {
    let result = add.value();
    let form_ref = reset_on_success(result);
    let e = move |field: &'static str| field_errors(result, field);
    let kinds = choices(CONTACT_KINDS);
    view! {
        <details class="add-contact">
            <summary>"Add a contact"</summary>
            <ActionForm action=add node_ref=form_ref attr:novalidate="true">
                <input type="hidden" name="client_id" value=client_id.to_string()/>
                <div class="grid-3">
                    <SelectField label="Contact role" name="kind" prefix="contact" options=kinds errors=e("kind")/>
                    <Field label="Contact name" name="name" prefix="contact" required=true errors=e("name")/>
                    <Field label="Relationship" name="relationship" prefix="contact" required=true errors=e("relationship")/>
                    <Field label="Contact phone" name="phone" kind="tel" prefix="contact" validate=field_check!(parse_phone) errors=e("phone")/>
                    <Field label="Contact email" name="email" kind="email" prefix="contact" errors=e("email")/>
                </div>
                <CheckField label="May receive information about the client" name="may_receive_info" prefix="contact" errors=e("may_receive_info")/>
                {move || form_error(result).get().map(|error| view! { <ErrorNotice error/> })}
                <button type="submit" class="btn btn-primary" disabled=move || add.pending().get()>"Add contact"</button>
            </ActionForm>
        </details>
    }
}
