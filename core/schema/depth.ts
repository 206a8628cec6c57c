/** Far deeper than any real tool schema; checked without recursion, so no pass overflows. */
export const MAX_NESTING = 500

export const tooDeep = (value: unknown, limit = MAX_NESTING): boolean => {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    if (typeof node !== 'object' || node === null) continue
    if (depth >= limit) return true
    for (const child of Object.values(node)) stack.push([child, depth + 1])
  }
  return false
}
