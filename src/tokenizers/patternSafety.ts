import { AST, RegExpParser, visitRegExpAST } from '@eslint-community/regexpp';

type Quantifier = AST.Quantifier;
type Node = AST.Node;
type Element = AST.Element;
type Alternative = AST.Alternative;

/**
 * A static check for patterns that can backtrack exponentially (ReDoS): a quantified group whose body is itself
 * repeatable or ambiguous, such as `(a+)+`, `(\w+\s?)*`, `(a|a)*` or `(a|aa)+`. tokenizer.json comes from the
 * Hub, so such a pattern would otherwise hang whatever thread tokenizes.
 * Returns why the pattern is unsafe, or null when it is fine (or when regexpp cannot read it: the engine did).
 */
export function exponentialRisk(source: string, flags: string): string | null {
  let ast;
  try {
    ast = new RegExpParser({ ecmaVersion: 2025 }).parsePattern(source, 0, source.length, {
      unicode: flags.includes('u'), unicodeSets: flags.includes('v'),
    });
  } catch {
    return null;
  }
  let risk: string | null = null;
  visitRegExpAST(ast, {
    onQuantifierEnter(q) {
      if (risk || !repeatsMany(q)) return;
      if (containsRepeat(q.element)) risk = `"${q.raw}" repeats a part that itself repeats`;
      else if (hasOverlappingAlternatives(q.element)) risk = `"${q.raw}" repeats a choice whose branches overlap`;
    },
  });
  return risk;
}

/** Many repeats: enough for the number of ways to split a match to grow exponentially. */
function repeatsMany(q: Quantifier): boolean {
  return q.max > 16;
}

function containsRepeat(node: Node): boolean {
  let found = false;
  visitRegExpAST(node as never, { onQuantifierEnter(q) { if (q.max > 1) found = true; } });
  return found;
}

function hasOverlappingAlternatives(el: Element): boolean {
  const alternatives = el.type === 'Group' || el.type === 'CapturingGroup' ? el.alternatives : [];
  const raws = alternatives.map((a: Alternative) => a.raw);
  for (let i = 0; i < raws.length; i++) {
    for (let j = 0; j < raws.length; j++) {
      if (i !== j && raws[i].length > 0 && raws[j].startsWith(raws[i])) return true;
    }
  }
  return false;
}
