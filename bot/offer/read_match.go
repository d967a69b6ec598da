package offer

import "sort"

// matcher finds every occurrence of many byte strings in one pass
// (Aho–Corasick). It is built once and only read after, so one matcher
// serves any number of goroutines. The root has a full table of 256 moves
// (most bytes of a text leave the root at once); other states keep their
// few moves sorted, which keeps the whole automaton small for thousands of
// phrases.
type matcher struct {
	root  [256]int32
	nodes []acNode
	edges []acEdge
	dense []int32   // full tables of 256 moves for the busiest states (see denseEdges)
	outs  [][]int32 // per state: the pattern ids that end here
}

type acNode struct {
	lo, hi int32 // moves: edges[lo:hi], sorted by byte
	fail   int32 // the longest proper suffix that is also a state
	out    int32 // the nearest state on the fail chain (self included) with outputs, or -1
	depth  int32
	table  int32 // index of its table in dense, or -1
}

// denseEdges is how many moves a state needs to get a full table: the
// states just inside Thai, Burmese or Chinese text, where one lead byte is
// followed by dozens of others, are passed through on most bytes of such a
// text, and a lookup beats a binary search there. Few states have so many
// moves, so the tables cost little memory.
const denseEdges = 16

type acEdge struct {
	b  byte
	to int32
}

// newMatcher builds a matcher of keys; a match reports a key's index.
func newMatcher(keys []string) *matcher {
	type building struct {
		next map[byte]int32
		ids  []int32
	}
	trie := []building{{next: map[byte]int32{}}}
	depth := []int32{0}
	for id, k := range keys {
		s := int32(0)
		for i := 0; i < len(k); i++ {
			n, ok := trie[s].next[k[i]]
			if !ok {
				n = int32(len(trie))
				trie = append(trie, building{next: map[byte]int32{}})
				depth = append(depth, depth[s]+1)
				trie[s].next[k[i]] = n
			}
			s = n
		}
		trie[s].ids = append(trie[s].ids, int32(id))
	}
	m := &matcher{nodes: make([]acNode, len(trie)), outs: make([][]int32, len(trie))}
	for s, b := range trie {
		m.nodes[s].lo = int32(len(m.edges))
		for c, to := range b.next {
			m.edges = append(m.edges, acEdge{c, to})
		}
		m.nodes[s].hi = int32(len(m.edges))
		e := m.edges[m.nodes[s].lo:m.nodes[s].hi]
		sort.Slice(e, func(i, j int) bool { return e[i].b < e[j].b })
		m.outs[s] = b.ids
		m.nodes[s].depth = depth[s]
		m.nodes[s].table = -1
		if s != 0 && len(e) >= denseEdges {
			m.nodes[s].table = int32(len(m.dense) / 256)
			t := make([]int32, 256)
			for _, x := range e {
				t[x.b] = x.to
			}
			m.dense = append(m.dense, t...)
		}
	}
	// Breadth first: a state's fail link is known before its children's.
	queue := make([]int32, 0, len(trie))
	for c := 0; c < 256; c++ {
		if to, ok := trie[0].next[byte(c)]; ok {
			m.root[c] = to
			queue = append(queue, to)
		}
	}
	m.nodes[0].out = -1
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		n := &m.nodes[s]
		n.out = -1
		if len(m.outs[s]) > 0 {
			n.out = s
		} else if n.fail != 0 {
			n.out = m.nodes[n.fail].out
		}
		for _, e := range m.edges[n.lo:n.hi] {
			f := n.fail
			for {
				if to, ok := m.move(f, e.b); ok && to != e.to {
					m.nodes[e.to].fail = to
					break
				}
				if f == 0 {
					break
				}
				f = m.nodes[f].fail
			}
			queue = append(queue, e.to)
		}
	}
	return m
}

// move returns the state after s on byte b, without following fail links.
func (m *matcher) move(s int32, b byte) (int32, bool) {
	if s == 0 {
		to := m.root[b]
		return to, to != 0
	}
	n := &m.nodes[s]
	if n.table >= 0 {
		to := m.dense[int(n.table)*256+int(b)]
		return to, to != 0
	}
	lo, hi := n.lo, n.hi
	for lo < hi {
		mid := (lo + hi) / 2
		switch e := m.edges[mid]; {
		case e.b == b:
			return e.to, true
		case e.b < b:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false
}

// scan calls hit for every occurrence of every key in s, with the key's
// index and the occurrence's byte range.
func (m *matcher) scan(s string, hit func(id int32, start, end int)) {
	st := int32(0)
	for i := 0; i < len(s); i++ {
		b := s[i]
		for {
			if to, ok := m.move(st, b); ok {
				st = to
				break
			}
			if st == 0 {
				break
			}
			st = m.nodes[st].fail
		}
		for o := m.nodes[st].out; o > 0; o = m.nodes[m.nodes[o].fail].out {
			d := int(m.nodes[o].depth)
			for _, id := range m.outs[o] {
				hit(id, i+1-d, i+1)
			}
			if m.nodes[o].fail == 0 {
				break
			}
		}
	}
}
