// Network configuration: from the server's GET /api/config, or — when no API server is reachable (e.g. the
// Vite dev server against a bare local chain) — from the generated deployments module.
import type { Address, Hex } from "viem";
import { deployments } from "../../deployments/contracts.ts";
import { DEMO_CONSORTIUM_SALT } from "../../common/fingerprint.ts";
import { SETTLEMENT_DECIMALS } from "../../common/money.ts";

export interface ClientConfig {
  chainId: number;
  /** Absolute JSON-RPC URL (the server's /rpc proxy when it has one). */
  rpcUrl: string;
  contracts: {
    MemberRegistry: Address;
    SettlementToken: Address;
    ReceivableLedger: Address;
    /** Financing modules (issue 5), when deployed. */
    FactoringMarket?: Address;
    PledgeLoans?: Address;
    CreditInsurance?: Address;
  };
  deploymentBlock: number;
  /**
   * The consortium salt of invoice fingerprints. The server gives it to signed-in members only
   * (GET /api/config/consortium), so it is null in a configuration from the server; the built-in fallback (no
   * API server: a bare local chain) uses the demo salt.
   */
  consortiumSalt: Hex | null;
  settlementDecimals: number;
  /** Where this came from: the API server, or the built-in fallback. */
  source: "server" | "fallback";
}

interface ServerConfig {
  chainId: number;
  rpcUrl: string;
  contracts: ClientConfig["contracts"];
  deploymentBlock: number;
  settlementDecimals?: number;
}

export async function loadConfig(): Promise<ClientConfig> {
  const absolute = (url: string) => new URL(url, window.location.href).toString();
  try {
    const res = await fetch("/api/config", { headers: { accept: "application/json" } });
    if (res.ok) {
      const c = (await res.json()) as ServerConfig;
      return {
        chainId: Number(c.chainId),
        rpcUrl: absolute(c.rpcUrl || "/rpc"),
        contracts: c.contracts,
        deploymentBlock: Number(c.deploymentBlock ?? 0),
        consortiumSalt: null,
        settlementDecimals: c.settlementDecimals ?? SETTLEMENT_DECIMALS,
        source: "server",
      };
    }
  } catch {
    // fall through to the built-in configuration
  }
  const local = deployments["localhost"];
  if (!local) throw new Error("No API server at /api/config and no local deployment in deployments/contracts.ts");
  return {
    chainId: local.chainId,
    rpcUrl: absolute("/rpc"),
    contracts: local.contracts,
    deploymentBlock: local.deploymentBlock,
    consortiumSalt: DEMO_CONSORTIUM_SALT,
    settlementDecimals: SETTLEMENT_DECIMALS,
    source: "fallback",
  };
}
