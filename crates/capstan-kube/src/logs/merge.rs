//! Orders lines of several sources by their timestamp.
//!
//! Live streams cannot be merged perfectly (a slow source may deliver an old
//! line late), so lines wait a short while (`hold`) in a heap ordered by
//! (time, arrival): a line leaves once it has waited `hold`, and never ahead
//! of an older line still waiting. Lines of one source stay in their order.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::time::{Duration, Instant};

use super::types::{LogLine, MarkerKind};

/// What waits in the merger: markers travel with the lines so a marker
/// never overtakes its source's earlier lines.
#[derive(Debug)]
pub(crate) enum Item {
    Line(LogLine),
    Marker(u32, MarkerKind),
}

struct Held {
    at: jiff::Timestamp,
    seq: u64,
    arrived: Instant,
    item: Item,
}

impl PartialEq for Held {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Held {}
impl PartialOrd for Held {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Held {
    // BinaryHeap is a max-heap: reversed so the oldest comes out first.
    fn cmp(&self, other: &Self) -> Ordering {
        self.at
            .cmp(&other.at)
            .then(self.seq.cmp(&other.seq))
            .reverse()
    }
}

pub(crate) struct Merger {
    hold: Duration,
    /// Above this many held lines the oldest leave regardless of `hold`.
    cap: usize,
    heap: BinaryHeap<Held>,
    seq: u64,
}

impl Merger {
    pub fn new(hold: Duration, cap: usize) -> Self {
        Self {
            hold,
            cap,
            heap: BinaryHeap::new(),
            seq: 0,
        }
    }

    /// `at` is the line's stamp; for markers and unstamped lines, the
    /// source's last stamp (or now).
    pub fn push(&mut self, at: jiff::Timestamp, item: Item, now: Instant) {
        self.seq += 1;
        self.heap.push(Held {
            at,
            seq: self.seq,
            arrived: now,
            item,
        });
    }

    pub fn set_hold(&mut self, hold: Duration) {
        self.hold = hold;
    }

    /// Lines ready at `now`, oldest first. `all` empties the heap.
    pub fn drain_ready(&mut self, now: Instant, all: bool, out: &mut Vec<Item>) {
        while let Some(top) = self.heap.peek() {
            let waited = now.saturating_duration_since(top.arrived) >= self.hold;
            if !(all || waited || self.heap.len() > self.cap) {
                break;
            }
            if let Some(h) = self.heap.pop() {
                out.push(h.item);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(source: u32, text: &str) -> Item {
        Item::Line(LogLine {
            source,
            time: None,
            text: text.into(),
        })
    }
    fn ts(s: u32) -> jiff::Timestamp {
        jiff::Timestamp::from_second(i64::from(s)).expect("test value")
    }
    fn texts(out: &[Item]) -> Vec<&str> {
        out.iter()
            .map(|i| match i {
                Item::Line(l) => l.text.as_str(),
                Item::Marker(..) => "marker",
            })
            .collect()
    }

    #[test]
    fn merges_by_time_within_hold() {
        let mut m = Merger::new(Duration::from_millis(100), 1000);
        let t0 = Instant::now();
        m.push(ts(3), line(0, "a3"), t0);
        m.push(ts(5), line(0, "a5"), t0);
        m.push(ts(1), line(1, "b1"), t0 + Duration::from_millis(10));
        m.push(ts(4), line(1, "b4"), t0 + Duration::from_millis(10));
        let mut out = Vec::new();
        m.drain_ready(t0 + Duration::from_millis(50), false, &mut out);
        assert!(out.is_empty());
        m.drain_ready(t0 + Duration::from_millis(200), false, &mut out);
        assert_eq!(texts(&out), ["b1", "a3", "b4", "a5"]);
    }

    #[test]
    fn equal_times_keep_arrival_order() {
        let mut m = Merger::new(Duration::ZERO, 10);
        let t0 = Instant::now();
        for i in 0..5 {
            m.push(ts(1), line(0, &i.to_string()), t0);
        }
        let mut out = Vec::new();
        m.drain_ready(t0, false, &mut out);
        assert_eq!(texts(&out), ["0", "1", "2", "3", "4"]);
    }

    #[test]
    fn cap_forces_lines_out() {
        let mut m = Merger::new(Duration::from_secs(10), 2);
        let t0 = Instant::now();
        for i in 0..5 {
            m.push(ts(i), line(0, "x"), t0);
        }
        let mut out = Vec::new();
        m.drain_ready(t0, false, &mut out);
        assert_eq!(out.len(), 3);
    }
}
