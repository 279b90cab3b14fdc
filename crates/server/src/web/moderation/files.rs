//! A submitted file in the viewer.

use super::*;

/// A submitted file, looked up for a moderator.
pub(super) async fn file_entry(
    state: &AppState,
    user: &SignedIn,
    sid: &str,
    path: &str,
) -> Result<(i64, FileEntry), PageError> {
    moderators_only(user)?;
    let sid = parse_sid(sid).ok_or(PageError::NotFound)?;
    let entry = state
        .inner
        .registry
        .review_file(&user.principal, sid, path)
        .await?;
    Ok((sid.into(), entry))
}

/// A blob that a version names and the store does not have.
pub(super) fn missing_blob(entry: &FileEntry) -> PageError {
    PageError::failed("a stored version's blob is missing", &entry.sha256)
}

/// The raw bytes of a submitted file, looked up for a moderator.
pub(super) async fn file_bytes(
    state: &AppState,
    user: &SignedIn,
    sid: &str,
    path: &str,
) -> Result<(i64, FileEntry, bytes::Bytes), PageError> {
    let (sid, entry) = file_entry(state, user, sid, path).await?;
    match state.inner.registry.blobs().get(&entry.sha256).await {
        Ok(Some(bytes)) => Ok((sid, entry, bytes)),
        Ok(None) => Err(missing_blob(&entry)),
        Err(e) => Err(Error::Blob(e).into()),
    }
}

pub(super) fn is_image(content_type: &str) -> bool {
    crate::files::response::is_review_image(content_type)
}

/// The numbered lines of a text for the viewer, at most [`MAX_VIEW_LINES`] of them from the
/// first [`MAX_VIEW_BYTES`], and the file's line count; `None` for binary bytes.
pub(super) fn text_lines(bytes: &[u8]) -> Option<(Vec<(usize, &str)>, usize)> {
    if bytes.contains(&0) {
        return None;
    }
    let head = &bytes[..bytes.len().min(MAX_VIEW_BYTES)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        // Cut inside a character: the whole characters before it.
        Err(e) if e.error_len().is_none() && head.len() < bytes.len() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).ok()?
        }
        Err(_) => return None,
    };
    let lines = text
        .lines()
        .take(MAX_VIEW_LINES)
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .collect();
    Some((lines, line_count(bytes)))
}

/// Lines in a file: newlines, plus one for a last line without a newline.
pub(super) fn line_count(bytes: &[u8]) -> usize {
    let newlines = bytes.iter().filter(|b| **b == b'\n').count();
    newlines + usize::from(bytes.last().is_some_and(|b| *b != b'\n'))
}

/// `GET /moderation/{sid}/files/{*path}`: the viewer.
pub(super) async fn file(
    State(state): State<AppState>,
    user: SignedIn,
    Path((sid, path)): Path<(String, String)>,
) -> PageResult {
    let (sid, entry, bytes) = file_bytes(&state, &user, &sid, &path).await?;
    let image = is_image(&entry.content_type);
    let text = if image { None } else { text_lines(&bytes) };
    let is_text = text.is_some();
    let (lines, total) = text.unwrap_or_default();
    let lines: Vec<_> = lines
        .into_iter()
        .map(|(n, text)| context! { n => n, text => text })
        .collect();
    Ok(page(
        &user.viewer,
        "moderation/file.html",
        context! {
            sid => sid,
            file => entry,
            image => image,
            is_text => is_text,
            shown => lines.len(),
            total => total,
            lines => lines,
        },
    ))
}

/// `GET /moderation/{sid}/raw/{*path}`: the bytes, as an image of its type or as plain text,
/// never as a page of this site.
pub(super) async fn raw(
    State(state): State<AppState>,
    user: SignedIn,
    Path((sid, path)): Path<(String, String)>,
) -> PageResult {
    let (_, entry) = file_entry(&state, &user, &sid, &path).await?;
    // Streamed: a large file is never held whole.
    match state.inner.registry.blobs().open(&entry.sha256).await {
        Ok(Some(stream)) => Ok(crate::files::response::for_review(
            &entry.content_type,
            axum::body::Body::from_stream(stream),
        )),
        Ok(None) => Err(missing_blob(&entry)),
        Err(e) => Err(Error::Blob(e).into()),
    }
}
