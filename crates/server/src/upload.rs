//! Upload intake: reads the multipart field `widget` into a temporary file, enforcing the
//! size cap while the bytes arrive (nothing trusts `Content-Length`), and checks that the
//! file is named `widget.zip`.
//!
//! The temporary files live in one folder the server owns (`<data dir>/tmp/uploads`), which
//! is emptied at start-up, so a crash mid-upload leaves nothing behind for long. A
//! [`Received`] file is deleted when it is dropped.

use crate::error::ApiError;
use crate::web::i18n;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;
use widgetry_validator::Lang;

/// The multipart field that carries the package.
pub const FIELD: &str = "widget";
/// The only accepted file name.
pub const FILE_NAME: &str = "widget.zip";

/// Extra bytes allowed in a request body beyond the file itself (boundaries, part headers,
/// small fields). The request body limit of the upload routes is `cap + BODY_SLACK`.
pub const BODY_SLACK: usize = 64 * 1024;

/// A received package, on disk until dropped.
#[derive(Debug)]
pub struct Received {
    file: tempfile::TempPath,
    size: u64,
}

impl Received {
    /// Its size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.file
    }

    /// Reads it into memory (at most the cap).
    pub async fn read(&self) -> Result<Vec<u8>, ApiError> {
        tokio::fs::read(&self.file)
            .await
            .map_err(|e| ApiError::internal(&format_args!("reading the upload back: {e}")))
    }
}

/// The folder for temporary upload files under a data dir.
pub fn tmp_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("tmp").join("uploads")
}

/// Creates the temporary folder and removes what an earlier process left there.
pub fn prepare_tmp_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let result = if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        if let Err(e) = result {
            tracing::warn!(path = %path.display(), error = %e, "could not remove a stale upload file");
        }
    }
    Ok(())
}

/// Reads the `widget` field into a temporary file in `dir`, refusing more than `cap` bytes.
pub async fn receive(
    mut multipart: Multipart,
    cap: u64,
    dir: &Path,
    lang: Lang,
) -> Result<Received, ApiError> {
    let mut received: Option<Received> = None;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|e| multipart_error(e, cap))?
    {
        if field.name() != Some(FIELD) {
            // Other fields are ignored; reading on skips them.
            continue;
        }
        if received.is_some() {
            return Err(ApiError::bad_request(
                "upload.duplicate_field",
                text(lang, "upload-duplicate_field"),
            ));
        }
        match field.file_name() {
            Some(FILE_NAME) => {}
            other => return Err(wrong_file_name(other, lang)),
        }
        let tmp = tempfile::Builder::new()
            .prefix("upload-")
            .suffix(".zip")
            .tempfile_in(dir)
            .map_err(|e| ApiError::internal(&format_args!("creating an upload file: {e}")))?;
        let (std_file, path) = tmp.into_parts();
        let mut file = tokio::fs::File::from_std(std_file);
        let mut size: u64 = 0;
        while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(e, cap))? {
            size += chunk.len() as u64;
            if size > cap {
                return Err(ApiError::too_large(cap));
            }
            file.write_all(&chunk)
                .await
                .map_err(|e| ApiError::internal(&format_args!("writing an upload file: {e}")))?;
        }
        file.flush()
            .await
            .map_err(|e| ApiError::internal(&format_args!("writing an upload file: {e}")))?;
        received = Some(Received { file: path, size });
    }
    received.ok_or_else(|| {
        ApiError::bad_request("upload.missing_file", text(lang, "upload-missing_file"))
    })
}

fn wrong_file_name(name: Option<&str>, lang: Lang) -> ApiError {
    let detail = match name {
        Some(n) => i18n::fill(lang, "upload-wrong_file_name", &[("name", n)]).into_owned(),
        None => text(lang, "upload-no_file_name"),
    };
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "upload.wrong_file_name",
        "wrong file name",
        detail,
    )
    .with("file_name", name.map(str::to_string))
}

fn multipart_error(e: MultipartError, cap: u64) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::too_large(cap)
    } else {
        ApiError::bad_request(
            "upload.bad_multipart",
            format!("the multipart body could not be read: {}", e.body_text()),
        )
    }
}

fn text(lang: Lang, id: &str) -> String {
    i18n::text(lang, id).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepare_removes_leftovers() {
        let data = tempfile::tempdir().unwrap();
        let dir = tmp_dir(data.path());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("upload-x.zip"), b"half").unwrap();
        prepare_tmp_dir(&dir).unwrap();
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
    }
}
