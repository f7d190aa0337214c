//! [`UploadedFile`]: a file from a `multipart/form-data` body.

use crate::base::wire::FILE_TOKEN;
use bytes::Bytes;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A file uploaded in a `multipart/form-data` body, for `accept = "form"` actions.
/// Its JSON Schema is `{"type": "string", "format": "binary"}`, as OpenAPI describes uploads.
#[derive(Clone, PartialEq, Eq)]
pub struct UploadedFile {
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Bytes,
}

impl UploadedFile {
    /// A file, as the multipart decoder builds it (and tests may).
    pub fn new(
        file_name: Option<String>,
        content_type: Option<String>,
        bytes: Bytes,
    ) -> UploadedFile {
        UploadedFile {
            file_name,
            content_type,
            bytes,
        }
    }

    /// The file name the client sent (untrusted: never use it as a path).
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type the client declared (untrusted).
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The contents.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The size in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the file is empty (a file input left blank sends an empty, unnamed part).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl fmt::Debug for UploadedFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UploadedFile")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl JsonSchema for UploadedFile {
    fn schema_name() -> Cow<'static, str> {
        "UploadedFile".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "binary" })
    }
}

/// What an `idempotent` or `audit` action records of a file: its name, type, size and SHA-256,
/// never its contents.
impl serde::Serialize for UploadedFile {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        use sha2::Digest;
        let digest = sha2::Sha256::digest(&self.bytes);
        let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
        let mut file = serializer.serialize_struct("UploadedFile", 4)?;
        file.serialize_field("fileName", &self.file_name)?;
        file.serialize_field("contentType", &self.content_type)?;
        file.serialize_field("size", &self.bytes.len())?;
        file.serialize_field("sha256", &hex)?;
        file.end()
    }
}

impl<'de> Deserialize<'de> for UploadedFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<UploadedFile, D::Error> {
        deserializer.deserialize_newtype_struct(FILE_TOKEN, FileVisitor)
    }
}

struct FileVisitor;

impl<'de> Visitor<'de> for FileVisitor {
    type Value = UploadedFile;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a file uploaded as multipart/form-data")
    }

    // The form decoder presents a file as a map of its parts.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<UploadedFile, A::Error> {
        let (mut file_name, mut content_type, mut bytes) = (None, None, None);
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match &*key {
                "fileName" => file_name = map.next_value()?,
                "contentType" => content_type = map.next_value()?,
                "bytes" => bytes = Some(map.next_value::<ByteBuf>()?.0),
                _ => return Err(de::Error::custom("expected a file upload")),
            }
        }
        let bytes = bytes.ok_or_else(|| de::Error::custom("expected a file upload"))?;
        Ok(UploadedFile {
            file_name,
            content_type,
            bytes: Bytes::from(bytes),
        })
    }

    // What any other format (JSON) does with a newtype struct: refuse.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, _: D) -> Result<UploadedFile, D::Error> {
        Err(de::Error::custom(
            "files can only be uploaded as multipart/form-data",
        ))
    }
}

/// Bytes handed over whole (`visit_byte_buf`), without a copy.
struct ByteBuf(Vec<u8>);

impl<'de> Deserialize<'de> for ByteBuf {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ByteBuf, D::Error> {
        struct BytesVisitor;
        impl Visitor<'_> for BytesVisitor {
            type Value = ByteBuf;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("file contents")
            }
            fn visit_byte_buf<E: de::Error>(self, bytes: Vec<u8>) -> Result<ByteBuf, E> {
                Ok(ByteBuf(bytes))
            }
            fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<ByteBuf, E> {
                Ok(ByteBuf(bytes.to_vec()))
            }
        }
        deserializer.deserialize_byte_buf(BytesVisitor)
    }
}
