//! The contact form: an HTML form posts straight to `/_actions/contact.send`.

use crate::schema::contact_messages;
use actions_runtime::prelude::*;

const ATTACHMENT_MAX: usize = 512 * 1024;

/// The fields of the contact form, as a browser sends them. Name, email, message and the
/// newsletter box are columns; the topics and the file are stored by the handler.
#[input(
    table = crate::schema::contact_messages,
    insert,
    server(topics, attachment_name, attachment_type, attachment_size, created_at),
    validate = Self::check,
)]
#[derive(Debug)]
pub struct ContactForm {
    /// 1 to 100 characters, trimmed.
    #[field(trim, min_length = 1)]
    pub name: _,
    /// An email address, stored lower case.
    #[field(trim, email)]
    pub email: _,
    /// 1 to 5,000 characters, trimmed.
    #[field(trim, min_length = 1, max_length = 5000)]
    pub message: _,
    /// A checkbox: absent when unchecked.
    pub subscribe: _,
    /// A multi-select: one field per chosen topic, at most 10. Not the `topics` column, which
    /// the handler fills with these as a JSON array, so the Rust name differs.
    #[field(max_length = 10)]
    #[serde(rename = "topics")]
    pub chosen_topics: Vec<String>,
    /// A file input, optional.
    pub attachment: Option<UploadedFile>,
}

impl ContactForm {
    fn check(&self, errors: &mut FieldErrors) {
        if self
            .attachment
            .as_ref()
            .is_some_and(|file| file.len() > ATTACHMENT_MAX)
        {
            errors.add(
                "attachment",
                format!("must be at most {} KiB", ATTACHMENT_MAX / 1024),
            );
        }
    }
}

/// The stored message's id.
#[output]
#[derive(Debug)]
pub struct MessageReceived {
    pub id: i64,
}

/// Stores a message from the contact form (the attachment's name, type and size; not its bytes).
#[action(public, accept = "form")]
pub async fn send(
    ctx: &mut ActionContext,
    input: ContactForm,
) -> Result<MessageReceived, ActionError> {
    let topics = serde_json::to_string(&input.chosen_topics).map_err(ActionError::internal)?;
    let attachment = input.attachment.as_ref();
    let conn = ctx.db().await?;
    let id = db!(conn, |c| {
        diesel::insert_into(contact_messages::table)
            .values((
                &input,
                contact_messages::topics.eq(&topics),
                contact_messages::attachment_name.eq(attachment.and_then(UploadedFile::file_name)),
                contact_messages::attachment_type
                    .eq(attachment.and_then(UploadedFile::content_type)),
                contact_messages::attachment_size.eq(attachment.map(|file| file.len() as i64)),
                contact_messages::created_at.eq(Timestamp::now()),
            ))
            .returning(contact_messages::id)
            .get_result(c)
            .await
    })?;
    Ok(MessageReceived { id })
}

/// A stored contact message.
#[output]
#[derive(Debug, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = contact_messages)]
pub struct ContactMessage {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub message: String,
    pub subscribe: bool,
    pub topics: String,
    pub attachment_name: Option<String>,
    pub attachment_type: Option<String>,
    pub attachment_size: Option<i64>,
    pub created_at: Timestamp,
}

/// How many messages to list.
#[input]
#[derive(Debug, Default)]
pub struct ListMessages {
    /// 1 to 100; 50 when absent.
    #[field(min = 1, max = 100)]
    pub limit: Option<i64>,
}

/// The latest contact messages, newest first: `contact:read`, which the policy grants to no
/// one, so only admins may.
#[action(acl = "contact:read")]
pub async fn list(
    ctx: &mut ActionContext,
    input: ListMessages,
) -> Result<Vec<ContactMessage>, ActionError> {
    let limit = input.limit.unwrap_or(50);
    let conn = ctx.db().await?;
    Ok(db!(conn, |c| contact_messages::table
        .order(contact_messages::id.desc())
        .limit(limit)
        .select(ContactMessage::as_select())
        .load(c)
        .await)?)
}
