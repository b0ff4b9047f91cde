//! Bisimilar nodes of a graph by hash-consing in reverse topological
//! order: O(m log m) where partition refinement needs a round per level of
//! the graph (position graphs are long chains, so that was most of the
//! construction time).
//!
//! Two nodes are merged when they start in the same block and their sets
//! of successor classes are equal. Processing the strongly connected
//! components sinks first gives every successor its class before its
//! predecessors ask for it. Cycles are handled in the one shape position
//! graphs have them, a node looping on itself (the `*` of a glob): such a
//! node is keyed by its other successors, and also registered under the
//! key a non-looping node pointing into it would have (`x` then `x*` is
//! bisimilar to `x*`). Larger cycles are kept apart. The result is a
//! bisimulation, so merging is always sound; it may be finer than the
//! coarsest one only around larger cycles.

use super::hash::FastMap;
use super::intern::SliceInterner;

/// A graph's successor lists, by node.
pub trait Adjacency {
    fn node_count(&self) -> usize;
    fn successors(&self, node: usize) -> &[u32];
}

impl Adjacency for [Vec<u32>] {
    fn node_count(&self) -> usize {
        self.len()
    }

    fn successors(&self, node: usize) -> &[u32] {
        &self[node]
    }
}

/// Successor lists stored flat (compressed sparse rows): one allocation
/// for the whole graph.
pub struct FlatAdjacency {
    /// `targets[starts[n]..starts[n + 1]]` are node n's successors.
    pub starts: Vec<u32>,
    pub targets: Vec<u32>,
}

impl FlatAdjacency {
    /// The reverse of `edges`: each node's predecessors, ascending.
    pub fn reverse_of(edges: &[Vec<u32>]) -> FlatAdjacency {
        let mut starts = vec![0u32; edges.len() + 1];
        for successors in edges {
            for &next in successors {
                starts[next as usize + 1] += 1;
            }
        }
        for node in 0..edges.len() {
            starts[node + 1] += starts[node];
        }
        let mut fill = starts.clone();
        let mut targets = vec![0u32; starts[edges.len()] as usize];
        for (node, successors) in edges.iter().enumerate() {
            for &next in successors {
                let slot = &mut fill[next as usize];
                targets[*slot as usize] = node as u32;
                *slot += 1;
            }
        }
        FlatAdjacency { starts, targets }
    }
}

impl Adjacency for FlatAdjacency {
    fn node_count(&self) -> usize {
        self.starts.len() - 1
    }

    fn successors(&self, node: usize) -> &[u32] {
        &self.targets[self.starts[node] as usize..self.starts[node + 1] as usize]
    }
}

/// The classes of `edges`' nodes, given each node's initial block:
/// (class per node, number of classes), classes numbered by first node.
pub fn bisimilar_classes<E: Adjacency + ?Sized>(edges: &E, initial: &[u32]) -> (Vec<u32>, usize) {
    const UNSET: u32 = u32::MAX;
    let mut class = vec![UNSET; edges.node_count()];
    let mut classes = 0u32;
    // Keys seen, and the class of each key id.
    let mut known = SliceInterner::default();
    let mut class_of_key: Vec<u32> = Vec::new();
    let mut key = Vec::new();
    let mut successors = Vec::new();
    let components = Components::sinks_first(edges);
    for component in components.iter() {
        if let [node] = *component {
            let node = node as usize;
            let looping = edges.successors(node).contains(&(node as u32));
            successors.clear();
            successors.extend(
                edges
                    .successors(node)
                    .iter()
                    .filter(|&&next| next as usize != node)
                    .map(|&next| class[next as usize]),
            );
            successors.sort_unstable();
            successors.dedup();
            key.clear();
            key.extend([initial[node], u32::from(looping)]);
            key.extend_from_slice(&successors);
            let (key_id, new) = known.intern(&key);
            if new {
                class_of_key.push(classes);
                classes += 1;
            }
            let id = class_of_key[key_id as usize];
            class[node] = id;
            if looping {
                // The key of a non-looping node whose successors are this
                // node's, itself included.
                if let Err(at) = successors.binary_search(&id) {
                    successors.insert(at, id);
                }
                key.truncate(1);
                key.push(0);
                key.extend_from_slice(&successors);
                if known.intern(&key).1 {
                    class_of_key.push(id);
                }
            }
        } else {
            for &node in component {
                class[node as usize] = classes;
                classes += 1;
            }
        }
    }
    number_by_first(&mut class);
    let count = class.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    (class, count)
}

/// Renumbers classes in order of their first node.
fn number_by_first(class: &mut [u32]) {
    let mut renumber: FastMap<u32, u32> = FastMap::default();
    for id in class.iter_mut() {
        let next = renumber.len() as u32;
        *id = *renumber.entry(*id).or_insert(next);
    }
}

/// Strongly connected components, stored flat: component `k` is
/// `nodes[ends[k - 1]..ends[k]]`.
struct Components {
    nodes: Vec<u32>,
    ends: Vec<u32>,
}

impl Components {
    /// Tarjan's algorithm, iterative; each component is finished only
    /// after every component it reaches, so they come sinks first.
    fn sinks_first<E: Adjacency + ?Sized>(edges: &E) -> Components {
        const UNVISITED: u32 = u32::MAX;
        let count = edges.node_count();
        let mut index = vec![UNVISITED; count];
        let mut low = vec![0u32; count];
        let mut on_stack = vec![false; count];
        let mut stack: Vec<u32> = Vec::new();
        let mut components = Components {
            nodes: Vec::with_capacity(count),
            ends: Vec::new(),
        };
        let mut next_index = 0u32;
        // (node, next edge to look at)
        let mut calls: Vec<(u32, usize)> = Vec::new();
        for root in 0..count as u32 {
            if index[root as usize] != UNVISITED {
                continue;
            }
            calls.push((root, 0));
            while let Some(&mut (node, ref mut edge)) = calls.last_mut() {
                let n = node as usize;
                if *edge == 0 && index[n] == UNVISITED {
                    index[n] = next_index;
                    low[n] = next_index;
                    next_index += 1;
                    stack.push(node);
                    on_stack[n] = true;
                }
                if let Some(&next) = edges.successors(n).get(*edge) {
                    *edge += 1;
                    let m = next as usize;
                    if index[m] == UNVISITED {
                        calls.push((next, 0));
                    } else if on_stack[m] {
                        low[n] = low[n].min(index[m]);
                    }
                    continue;
                }
                calls.pop();
                if let Some(&(parent, _)) = calls.last() {
                    low[parent as usize] = low[parent as usize].min(low[n]);
                }
                if low[n] == index[n] {
                    while let Some(member) = stack.pop() {
                        on_stack[member as usize] = false;
                        components.nodes.push(member);
                        if member == node {
                            break;
                        }
                    }
                    components.ends.push(components.nodes.len() as u32);
                }
            }
        }
        components
    }

    fn iter(&self) -> impl Iterator<Item = &[u32]> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(start, end)| &self.nodes[start as usize..end as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_come_sinks_first() {
        // 0 → 1 → 2 ⇄ 3, 4 alone.
        let edges = vec![vec![1], vec![2], vec![3], vec![2], vec![]];
        let components = Components::sinks_first(edges.as_slice());
        let components: Vec<&[u32]> = components.iter().collect();
        let position = |node: u32| components.iter().position(|c| c.contains(&node)).unwrap();
        assert_eq!(components.len(), 4);
        assert!(position(2) < position(1) && position(1) < position(0));
        assert_eq!(position(2), position(3));
    }

    #[test]
    fn reverse_lists_predecessors_in_order() {
        let edges = vec![vec![1, 2], vec![2], vec![0]];
        let reverse = FlatAdjacency::reverse_of(&edges);
        assert_eq!(reverse.node_count(), 3);
        assert_eq!(reverse.successors(0), &[2]);
        assert_eq!(reverse.successors(1), &[0]);
        assert_eq!(reverse.successors(2), &[0, 1]);
    }

    #[test]
    fn chains_with_equal_futures_merge() {
        // a→x→end and b→y→end with x, y alike: x ~ y; a, b differ by block.
        let edges = vec![vec![], vec![3], vec![4], vec![0], vec![0]];
        let initial = [0, 1, 2, 3, 3];
        let (class, count) = bisimilar_classes(edges.as_slice(), &initial);
        assert_eq!(class[3], class[4]);
        assert_ne!(class[1], class[2]);
        assert_eq!(count, 4);
        assert_eq!(class[0], 0);
    }

    #[test]
    fn a_loop_and_its_unrolling_merge() {
        // 1 → {0, 2}, 2 → {0, 2}; 1 and 2 in one block: 1 ~ 2 (x·x* ~
        // x*). 3 loops too, but leads to 4 (another end): apart.
        let edges = vec![vec![], vec![0, 2], vec![0, 2], vec![3, 4], vec![]];
        let initial = [0, 1, 1, 1, 2];
        let (class, _) = bisimilar_classes(edges.as_slice(), &initial);
        assert_eq!(class[1], class[2]);
        assert_ne!(class[3], class[2]);
    }
}
