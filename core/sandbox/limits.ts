/** Per-process limits (rlimits); `tasks` counts every process and thread of the child's uid. */
export interface Limits {
  tasks: number
  openFiles: number
  fileBytes: number
  /** RLIMIT_DATA: the private writable memory one process may map. */
  dataBytes: number
}

/**
 * `prlimit` options for a child. RLIMIT_DATA, not RLIMIT_AS: V8 and WebAssembly reserve large
 * address ranges they never touch, which RLIMIT_AS counts and RLIMIT_DATA does not, while every
 * real allocation (heap, Buffers, malloc) is counted. No core files: they would hold the env.
 * `perUid` false leaves the task count alone: without a uid of its own the child shares the
 * runner user's count.
 */
export const prlimitArgs = (limits: Limits, perUid: boolean): string[] => [
  ...(perUid ? [`--nproc=${limits.tasks}`] : []),
  `--nofile=${limits.openFiles}`,
  `--fsize=${limits.fileBytes}`,
  `--data=${limits.dataBytes}`,
  '--core=0',
]
