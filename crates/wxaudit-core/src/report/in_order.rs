//! Renders a long list on all cores and writes it in its original order, for the million-row
//! CSV and JSON reports.
//!
//! Items are rendered a window at a time, each window split into chunks rendered in parallel. While
//! one window is being written out, the next is already being rendered, so the cores never wait
//! for the disk and only two windows are ever held in memory. The buffers a written window
//! leaves are handed to the windows after it: a million-row report renders a gigabyte, and
//! fresh buffers each time cost the system that much in new pages to map and clear.

use rayon::prelude::*;
use std::io;

/// Renders `items` chunk by chunk with `render(index of the chunk's first item, chunk, buffer)`
/// (an empty buffer to render into, returned) and hands each rendered chunk to `write`, in
/// order. Stops at the first error from either.
pub fn render_in_order<'a, T, R, W>(
    items: &'a [T],
    chunk: usize,
    render: R,
    write: W,
) -> io::Result<()>
where
    T: Sync,
    R: Fn(usize, &'a [T], Vec<u8>) -> io::Result<Vec<u8>> + Sync,
    W: FnMut(&[u8]) -> io::Result<()>,
{
    render_ranges_in_order(
        items.len(),
        chunk,
        |r, buf| render(r.start, &items[r], buf),
        write,
    )
}

/// [`render_in_order`] for items addressed by index (`0..len`): `render` gets each chunk's range
/// (and a buffer).
pub fn render_ranges_in_order<R, W>(
    len: usize,
    chunk: usize,
    render: R,
    mut write: W,
) -> io::Result<()>
where
    R: Fn(std::ops::Range<usize>, Vec<u8>) -> io::Result<Vec<u8>> + Sync,
    W: FnMut(&[u8]) -> io::Result<()>,
{
    let chunk = chunk.max(1);
    let window = chunk * 2 * rayon::current_num_threads().max(1);
    // Buffers of written chunks, for the chunks still to render.
    let spare = std::sync::Mutex::new(Vec::<Vec<u8>>::new());
    let render_window = |start: usize| -> io::Result<Vec<Vec<u8>>> {
        let end = (start + window).min(len);
        (start..end)
            .into_par_iter()
            .step_by(chunk)
            .map(|c| {
                let buf = spare
                    .lock()
                    .ok()
                    .and_then(|mut s| s.pop())
                    .unwrap_or_default();
                render(c..(c + chunk).min(end), buf)
            })
            .collect()
    };
    if len == 0 {
        return Ok(());
    }
    let mut start = 0;
    let mut current = render_window(0)?;
    loop {
        let next_start = start + window;
        // The next window renders on the pool (driven from a helper thread) while this thread
        // writes the current one.
        let next = std::thread::scope(|s| -> io::Result<Option<Vec<Vec<u8>>>> {
            let pending = (next_start < len).then(|| s.spawn(|| render_window(next_start)));
            let written = current.iter().try_for_each(|b| write(b));
            if let Ok(mut s) = spare.lock() {
                s.extend(current.drain(..).map(|mut b| {
                    b.clear();
                    b
                }));
            }
            let next = match pending {
                Some(h) => Some(
                    h.join()
                        .map_err(|_| io::Error::other("report rendering failed"))??,
                ),
                None => None,
            };
            written?;
            Ok(next)
        })?;
        match next {
            Some(n) => {
                current = n;
                start = next_start;
            }
            None => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_item_once_in_order_across_windows() {
        let items: Vec<u32> = (0..10_007).collect();
        let mut out = Vec::new();
        let reused = std::sync::atomic::AtomicUsize::new(0);
        render_in_order(
            &items,
            7,
            |first, part, mut buf| {
                assert_eq!(first as u32, part[0]);
                assert!(buf.is_empty(), "a buffer comes empty");
                if buf.capacity() > 0 {
                    reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                for i in part {
                    buf.extend_from_slice(format!("{i}\n").as_bytes());
                }
                Ok(buf)
            },
            |b| {
                out.extend_from_slice(b);
                Ok(())
            },
        )
        .unwrap();
        let expected: String = items.iter().map(|i| format!("{i}\n")).collect();
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        // All but the first two windows' chunks render into buffers written before.
        assert!(
            reused.into_inner() > 10_007 / 7 / 2,
            "written buffers are used again"
        );
    }

    #[test]
    fn a_render_or_write_error_stops_the_run() {
        let items: Vec<u32> = (0..1000).collect();
        let err = render_in_order(
            &items,
            10,
            |first, _, _| match first {
                500 => Err(io::Error::other("bad item")),
                _ => Ok(vec![b'x']),
            },
            |_| Ok(()),
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "bad item");
        let mut writes = 0;
        let err = render_in_order(
            &items,
            10,
            |_, _, _| Ok(vec![b'x']),
            |_| {
                writes += 1;
                if writes == 3 {
                    Err(io::Error::other("disk full"))
                } else {
                    Ok(())
                }
            },
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
    }
}
