/** A write refused by its condition (alone, or as one of a transaction's items). */
export const failedCondition = (error: unknown): boolean =>
  (error as Error).name === 'ConditionalCheckFailedException' ||
  ((error as Error).name === 'TransactionCanceledException' &&
    String((error as Error).message).includes('ConditionalCheckFailed'))

/** True once a conditional write landed; false when its condition failed; other faults throw. */
export const landed = (write: Promise<unknown>): Promise<boolean> =>
  write.then(
    () => true,
    (error: unknown) => {
      if (failedCondition(error)) return false
      throw error
    },
  )
