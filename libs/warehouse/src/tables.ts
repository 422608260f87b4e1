/** Every ClickHouse table name in one place: SQL elsewhere refers to these constants. */
export const TABLES = {
  migrations: '_migrations',
  statements: 'statements',
} as const;
