import { createRequire } from "node:module";
import { defineConfig } from "hardhat/config";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";

const require = createRequire(import.meta.url);

// The compiler comes from the `solc` npm package (its version must equal `version`), so nothing is
// downloaded at build time.
const SOLC_VERSION = "0.8.30";

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    profiles: {
      default: {
        version: SOLC_VERSION,
        path: require.resolve("solc/soljson.js"),
        settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" },
      },
    },
  },
  paths: { tests: { mocha: "test/contracts", solidity: "contracts/test" } },
  // Solidity fuzz and invariant tests (contracts/test/*.t.sol). 256 fuzz runs per test; invariant campaigns of
  // 64 random sequences of 40 handler calls each, which keeps `npm run test:contracts` near a minute on 2 cores.
  test: {
    solidity: {
      fuzz: { runs: 256 },
      invariant: { runs: 64, depth: 40, failOnRevert: false },
    },
  },
  networks: {
    // A JSON-RPC network given by configuration: RPC_URL and DEPLOYER_KEY (e.g. a Besu QBFT node).
    custom: {
      type: "http",
      chainType: "l1",
      url: process.env.RPC_URL ?? "http://127.0.0.1:8545",
      accounts: process.env.DEPLOYER_KEY ? [process.env.DEPLOYER_KEY] : "remote",
    },
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
  },
});
