//! Statements as the mapping makes them, before they become files: each statement's
//! subject and graph name are indexes into a list of nodes (the statements about one
//! subject store it once), its predicate is a vocabulary term, and only its object is its
//! own. Serializers read them as [`QuadRef`]s; [`Stmts::into_quads`] gives owned quads.

use oxigraph::model::{
    GraphName, GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Quad, QuadRef, Term,
    TermRef,
};

/// The graph index of a statement in the default graph.
const DEFAULT_GRAPH: u32 = u32::MAX;

/// One statement (see [`Stmts`]).
#[derive(Debug, Clone)]
pub(super) struct Stmt {
    pub(super) s: u32,
    pub(super) p: NamedNodeRef<'static>,
    pub(super) o: Term,
    pub(super) g: u32,
}

/// Statements with shared subjects and graph names.
#[derive(Debug, Clone, Default)]
pub struct Stmts {
    pub(super) nodes: Vec<NamedNode>,
    items: Vec<Stmt>,
    /// The statements in their order, as indexes into `items`, once put in an order
    /// ([`Stmts::reorder`]); before, the order they were added in.
    order: Option<Vec<u32>>,
    /// The last subject and graph added, to share them with the next statement.
    last: Option<(u32, u32)>,
}

impl Stmts {
    /// No statements.
    pub fn new() -> Self {
        Self::default()
    }

    /// The index of node `n`: the last subject or graph when it is that, else a new one.
    fn node(&mut self, n: &NamedNode, recent: [u32; 2]) -> u32 {
        for i in recent {
            if self.nodes.get(i as usize) == Some(n) {
                return i;
            }
        }
        self.nodes.push(n.clone());
        (self.nodes.len() - 1) as u32
    }

    /// Adds `s p o` in graph `g` (`None`: the default graph), after the others.
    pub(super) fn add(
        &mut self,
        s: &NamedNode,
        p: NamedNodeRef<'static>,
        o: Term,
        g: Option<&NamedNode>,
    ) {
        let (ls, lg) = self.last.unwrap_or((DEFAULT_GRAPH, DEFAULT_GRAPH));
        let si = self.node(s, [ls, lg]);
        let gi = match g {
            Some(g) => self.node(g, [lg, si]),
            None => DEFAULT_GRAPH,
        };
        self.last = Some((si, gi));
        if let Some(order) = &mut self.order {
            order.push(self.items.len() as u32);
        }
        self.items.push(Stmt { s: si, p, o, g: gi });
    }

    /// Number of statements.
    pub fn len(&self) -> usize {
        self.order.as_ref().map_or(self.items.len(), Vec::len)
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Statement `k` in order.
    pub(super) fn at(&self, k: usize) -> Option<&Stmt> {
        match &self.order {
            Some(order) => self.items.get(*order.get(k)? as usize),
            None => self.items.get(k),
        }
    }

    fn quad_of<'a>(&'a self, x: &'a Stmt) -> QuadRef<'a> {
        QuadRef::new(
            NamedOrBlankNodeRef::NamedNode(self.nodes[x.s as usize].as_ref()),
            x.p,
            x.o.as_ref(),
            match x.g {
                DEFAULT_GRAPH => GraphNameRef::DefaultGraph,
                g => GraphNameRef::NamedNode(self.nodes[g as usize].as_ref()),
            },
        )
    }

    /// Statement `k`, if there is one.
    pub fn get(&self, k: usize) -> Option<QuadRef<'_>> {
        self.at(k).map(|x| self.quad_of(x))
    }

    /// The statements, in order.
    pub fn iter(&self) -> impl Iterator<Item = QuadRef<'_>> + '_ {
        (0..self.len()).filter_map(|k| self.get(k))
    }

    /// The subject of statement `x`.
    pub(super) fn subject(&self, x: &Stmt) -> &str {
        self.nodes[x.s as usize].as_str()
    }

    /// Keeps the statements whose subject `keep` accepts.
    pub(super) fn retain_subjects(&mut self, keep: impl Fn(&str) -> bool) {
        let (nodes, items) = (&self.nodes, &self.items);
        let kept = |i: u32| keep(nodes[items[i as usize].s as usize].as_str());
        match &mut self.order {
            Some(order) => order.retain(|&i| kept(i)),
            None => {
                let order: Vec<u32> = (0..items.len() as u32).filter(|&i| kept(i)).collect();
                self.order = Some(order);
            }
        }
    }

    /// The statements as owned quads, in order.
    pub fn into_quads(self) -> Vec<Quad> {
        let graph = |g: u32| match g {
            DEFAULT_GRAPH => GraphName::DefaultGraph,
            g => GraphName::NamedNode(self.nodes[g as usize].clone()),
        };
        (0..self.len())
            .filter_map(|k| self.at(k))
            .map(|x| {
                Quad::new(
                    self.nodes[x.s as usize].clone(),
                    x.p,
                    x.o.clone(),
                    graph(x.g),
                )
            })
            .collect()
    }

    /// The graph name of the first statement.
    pub fn first_graph(&self) -> Option<GraphName> {
        self.get(0).map(|q| q.graph_name.into_owned())
    }

    /// Puts the statements in the order `positions` gives: the statement at position
    /// `positions[k]` now comes `k`-th (those at no position are dropped).
    pub(super) fn reorder(&mut self, positions: &[u32]) {
        let order = match &self.order {
            Some(order) => positions
                .iter()
                .filter_map(|&k| order.get(k as usize).copied())
                .collect(),
            None => positions
                .iter()
                .copied()
                .filter(|&k| (k as usize) < self.items.len())
                .collect(),
        };
        self.order = Some(order);
    }
}

/// The subject, predicate and object of a statement, as refs.
pub(super) fn spo<'a>(
    st: &'a Stmts,
    x: &'a Stmt,
) -> (NamedOrBlankNodeRef<'a>, NamedNodeRef<'a>, TermRef<'a>) {
    (
        NamedOrBlankNodeRef::NamedNode(st.nodes[x.s as usize].as_ref()),
        x.p,
        x.o.as_ref(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::Literal;

    #[test]
    fn shared_subjects_and_graphs_give_the_same_quads() {
        let (a, b) = (
            NamedNode::new_unchecked("urn:a"),
            NamedNode::new_unchecked("urn:b"),
        );
        let g = NamedNode::new_unchecked("urn:g");
        let p = NamedNodeRef::new_unchecked("urn:p");
        let mut st = Stmts::new();
        st.add(&a, p, Literal::new_simple_literal("1").into(), Some(&g));
        st.add(&a, p, b.clone().into(), Some(&g));
        st.add(&b, p, a.clone().into(), Some(&g));
        st.add(&g, p, a.clone().into(), Some(&g));
        st.add(&b, p, a.clone().into(), None);
        // a, g, b, and b again (the default graph's statement shares only its subject).
        assert_eq!(st.nodes.len(), 4);
        let want = vec![
            Quad::new(a.clone(), p, Literal::new_simple_literal("1"), g.clone()),
            Quad::new(a.clone(), p, b.clone(), g.clone()),
            Quad::new(b.clone(), p, a.clone(), g.clone()),
            Quad::new(g.clone(), p, a.clone(), g.clone()),
            Quad::new(b.clone(), p, a.clone(), GraphName::DefaultGraph),
        ];
        let refs: Vec<Quad> = st.iter().map(QuadRef::into_owned).collect();
        assert_eq!(refs, want);
        assert_eq!(st.first_graph(), Some(GraphName::NamedNode(g)));
        let mut kept = st.clone();
        kept.retain_subjects(|s| s == "urn:b");
        assert_eq!(kept.len(), 2);
        st.reorder(&[4, 0]);
        assert_eq!(st.into_quads(), vec![want[4].clone(), want[0].clone()]);
    }
}
