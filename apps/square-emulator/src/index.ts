export { startEmulator, DEFAULT_SQUARE_VERSION } from "./emulator.js";
export type { Emulator, EmulatorStore } from "./emulator.js";
export { generateSeed } from "./generate-seed.js";
export type { GenerateSeedOptions } from "./generate-seed.js";
export { MAX_GROUP_NAME_LENGTH, MAX_BULK_RETRIEVE } from "./operations.js";
export { MAX_FILTER_IDS } from "./search/parse-query.js";
export { MAX_IDEMPOTENCY_KEY_LENGTH } from "./idempotency.js";
export { readSeedFile, writeStateFile, SeedFileError } from "./state-file.js";
export type {
  DelaySpec,
  EmulatorOptions,
  EmulatorStats,
  FaultOptions,
  SeedData,
  SquareAddress,
  SquareCustomer,
  SquareCustomerGroup,
} from "./types.js";
