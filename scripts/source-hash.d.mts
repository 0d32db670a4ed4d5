export const SOURCE_HASH_FILE: string
export function sourceHash(root: string): string
