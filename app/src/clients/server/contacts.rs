//! Contact people: visible wherever the client is (demographics), changed by admin and front desk.

use super::repo::{self, NewContact};
use super::service::{open_for_reading, record_read};
use crate::audit::server::{record, AuditEvent};
use crate::audit::types::Outcome;
use crate::auth::server::{CurrentUser, RequestMeta};
use crate::auth::types::Permission;
use crate::clients::actions;
use crate::clients::types::*;
use crate::error::{AppError, Validator};
use crate::fields::parse_email;
use crate::fields::{parse_choice, parse_name, parse_phone};
use crate::ids::ClientId;
use sqlx::PgPool;

pub async fn list(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
) -> Result<ContactList, AppError> {
    const READ: &str = actions::CONTACTS_VIEW;
    let (mut conn, access) = open_for_reading(pool, user, meta, client, READ).await?;
    let contacts = repo::contacts(&mut conn, client).await?;
    record_read(&mut conn, user, meta, client, READ, access).await?;
    Ok(ContactList {
        contacts,
        can_edit: user.role.can(Permission::EditClientDemographics),
    })
}

impl NewContact {
    pub fn parse(input: &ContactInput) -> Result<NewContact, AppError> {
        let mut v = Validator::new();
        let kind = v.check(
            "kind",
            parse_choice(&input.kind, CONTACT_KINDS)
                .and_then(|k| k.ok_or_else(|| "Choose the kind of contact.".into())),
        );
        let name = v.check("name", parse_name(&input.name, "contact's name"));
        let relationship = v.check(
            "relationship",
            match input.relationship.trim() {
                "" => Err("Say how they are related, e.g. mother, spouse, friend.".to_owned()),
                r if r.chars().count() > 60 => Err("At most 60 characters.".to_owned()),
                r => Ok(r.to_owned()),
            },
        );
        let phone = v.check("phone", parse_phone(&input.phone));
        let email = if input.email.trim().is_empty() {
            Some(None)
        } else {
            v.check("email", parse_email(&input.email).map(Some))
        };
        if matches!((&phone, &email), (Some(None), Some(None))) {
            v.add("phone", "Give a phone number or an email address.");
        }
        v.finish_with(|| {
            Some(NewContact {
                kind: kind?,
                name: name?,
                relationship: relationship?,
                phone: phone?,
                email: email?,
                may_receive_info: input.may_receive_info.is_some(),
            })
        })
    }
}

pub async fn add(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    client: ClientId,
    input: &ContactInput,
) -> Result<(), AppError> {
    user.require(Permission::EditClientDemographics)?;
    let contact = NewContact::parse(input)?;
    let mut tx = pool.begin().await?;
    let id = repo::insert_contact(&mut tx, client, &contact, user.id).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::CONTACT_ADD, Outcome::Success, meta)
            .by(user)
            .entity("client_contact", id)
            .client(client),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a contact off the chart; the row is kept.
pub async fn remove(
    pool: &PgPool,
    user: &CurrentUser,
    meta: &RequestMeta,
    id: crate::ids::ContactId,
) -> Result<(), AppError> {
    user.require(Permission::EditClientDemographics)?;
    let mut tx = pool.begin().await?;
    let client = repo::remove_contact(&mut tx, id, user.id).await?;
    record(
        &mut tx,
        AuditEvent::new(actions::CONTACT_REMOVE, Outcome::Success, meta)
            .by(user)
            .entity("client_contact", id)
            .client(client),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
