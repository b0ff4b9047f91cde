//! The element order `std::sort` of GNU libstdc++ leaves, as
//! apparmor_parser 5.0.2 is built with it.
//!
//! 5.0.2 merges equal rules by sorting them and merging neighbours (see
//! `rule_table`). `std::sort` is not stable: up to 16 elements it is an
//! insertion sort (equal elements keep their order), beyond that it first
//! partitions around median-of-three pivots (introsort), which reorders
//! equal elements. Which one of an equal group comes first decides what a
//! merge keeps, so the permutation itself is part of the language; this
//! module reproduces the algorithm step by step (written from its
//! published description: introsort with the 16-element threshold, a
//! heap sort once the depth limit `2 * floor(log2 n)` is spent, and a
//! final insertion sort).

/// Below this many elements a range is left to the final insertion sort.
const THRESHOLD: usize = 16;

/// Sorts `items` in place as libstdc++'s `std::sort(begin, end, less)`.
pub fn sort_like_libstdcxx<T>(items: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    let n = items.len();
    if n < 2 {
        return;
    }
    let depth = 2 * (usize::BITS - 1 - n.leading_zeros()) as usize;
    introsort_loop(items, depth, less);
    final_insertion_sort(items, less);
}

fn introsort_loop<T>(items: &mut [T], mut depth: usize, less: &impl Fn(&T, &T) -> bool) {
    let mut len = items.len();
    while len > THRESHOLD {
        if depth == 0 {
            heap_sort(&mut items[..len], less);
            return;
        }
        depth -= 1;
        let cut = partition_pivot(&mut items[..len], less);
        introsort_loop(&mut items[cut..len], depth, less);
        len = cut;
    }
}

/// Moves the median of elements 1, mid and last to the front, then
/// partitions the rest around it; returns the cut.
fn partition_pivot<T>(items: &mut [T], less: &impl Fn(&T, &T) -> bool) -> usize {
    let len = items.len();
    let (a, b, c) = (1, len / 2, len - 1);
    let median = if less(&items[a], &items[b]) {
        if less(&items[b], &items[c]) {
            b
        } else if less(&items[a], &items[c]) {
            c
        } else {
            a
        }
    } else if less(&items[a], &items[c]) {
        a
    } else if less(&items[b], &items[c]) {
        c
    } else {
        b
    };
    items.swap(0, median);
    // Hoare partition of [1, len) around the pivot at 0; neither scan
    // is bounded, the pivot (and the median choice) stop them.
    let (mut first, mut last) = (1, len);
    loop {
        while less(&items[first], &items[0]) {
            first += 1;
        }
        last -= 1;
        while less(&items[0], &items[last]) {
            last -= 1;
        }
        if first >= last {
            return first;
        }
        items.swap(first, last);
        first += 1;
    }
}

fn final_insertion_sort<T>(items: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    if items.len() > THRESHOLD {
        insertion_sort(&mut items[..THRESHOLD], less);
        for i in THRESHOLD..items.len() {
            linear_insert(items, i, less);
        }
    } else {
        insertion_sort(items, less);
    }
}

fn insertion_sort<T>(items: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    for i in 1..items.len() {
        if less(&items[i], &items[0]) {
            items[..=i].rotate_right(1);
        } else {
            linear_insert(items, i, less);
        }
    }
}

/// Moves element `i` down past every greater predecessor (the caller
/// guarantees one that is not greater exists).
fn linear_insert<T>(items: &mut [T], i: usize, less: &impl Fn(&T, &T) -> bool) {
    let mut hole = i;
    while less(&items[i], &items[hole - 1]) {
        hole -= 1;
    }
    items[hole..=i].rotate_right(1);
}

/// The depth-limit fallback: make a max-heap, then pop it.
fn heap_sort<T>(items: &mut [T], less: &impl Fn(&T, &T) -> bool) {
    let len = items.len();
    if len >= 2 {
        let mut parent = (len - 2) / 2;
        loop {
            adjust_heap(items, parent, len, less);
            if parent == 0 {
                break;
            }
            parent -= 1;
        }
    }
    let mut last = len;
    while last > 1 {
        last -= 1;
        items.swap(0, last);
        // The popped value now sits at `last`; the old last value is
        // sifted in from the root.
        adjust_heap(&mut items[..last], 0, last, less);
    }
}

/// Sifts the value at `hole` down to a leaf by the larger child, then up
/// again (libstdc++'s `__adjust_heap` + `__push_heap`).
fn adjust_heap<T>(items: &mut [T], mut hole: usize, len: usize, less: &impl Fn(&T, &T) -> bool) {
    let top = hole;
    let mut child = hole;
    // The value being placed travels with the hole: swapping it down
    // keeps every other element where the moves would put it.
    while child < len.saturating_sub(1) / 2 {
        child = 2 * (child + 1);
        if less(&items[child], &items[child - 1]) {
            child -= 1;
        }
        items.swap(hole, child);
        hole = child;
    }
    if len.is_multiple_of(2) && len >= 2 && child == (len - 2) / 2 {
        child = 2 * (child + 1);
        items.swap(hole, child - 1);
        hole = child - 1;
    }
    while hole > top {
        let parent = (hole - 1) / 2;
        if !less(&items[parent], &items[hole]) {
            break;
        }
        items.swap(hole, parent);
        hole = parent;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted_by_key(keys: &[u8]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..keys.len()).collect();
        sort_like_libstdcxx(&mut order, &|a: &usize, b: &usize| keys[*a] < keys[*b]);
        order
    }

    #[test]
    fn sixteen_or_fewer_elements_keep_equal_ones_in_order() {
        let keys = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0];
        let order = sorted_by_key(&keys);
        assert_eq!(
            order,
            [1, 3, 5, 7, 9, 11, 13, 15, 0, 2, 4, 6, 8, 10, 12, 14]
        );
    }

    #[test]
    fn seventeen_elements_partition_first() {
        // All equal: the median of elements 1, 8 and 16 is taken to be 8
        // (swapped to the front), then the partition swaps pairs from
        // both ends inwards; the insertion sort moves nothing.
        let order = sorted_by_key(&[0; 17]);
        assert_eq!(
            order,
            [8, 16, 15, 14, 13, 12, 11, 10, 9, 0, 7, 6, 5, 4, 3, 2, 1]
        );
    }

    #[test]
    fn sorts_any_input() {
        let mut seed = 0x1234_5678u32;
        for len in 0..200 {
            let keys: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    (seed >> 16) as u8 % 7
                })
                .collect();
            let order = sorted_by_key(&keys);
            let mut seen = order.clone();
            seen.sort_unstable();
            assert_eq!(seen, (0..len).collect::<Vec<_>>());
            assert!(order.windows(2).all(|w| keys[w[0]] <= keys[w[1]]));
        }
    }

    #[test]
    fn heap_sort_sorts() {
        let keys = [5u8, 3, 9, 1, 1, 7, 0, 2, 8, 6, 4];
        let mut order: Vec<usize> = (0..keys.len()).collect();
        heap_sort(&mut order, &|a: &usize, b: &usize| keys[*a] < keys[*b]);
        assert!(order.windows(2).all(|w| keys[w[0]] <= keys[w[1]]));
    }
}
