export * from './errors.ts'
export * from './signature/index.ts'
