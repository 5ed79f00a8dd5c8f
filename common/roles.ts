// Member roles: the bits of IMemberRegistry (contracts/interfaces/IMemberRegistry.sol, "Role bits") and of the
// ROLE_* constants of the ledger and the financing modules. test/common/roles.test.ts checks them against the
// contracts' sources and against a deployed registry and ledger.

/** Role bits of IMemberRegistry. A member may hold several. */
export const Role = {
  Seller: 1,
  Buyer: 2,
  Financier: 4,
  Auditor: 8,
  Insurer: 16,
} as const;
export type RoleName = keyof typeof Role;

/** Every role name, in bit order. */
export const ROLE_NAMES = Object.keys(Role) as RoleName[];

/** Every role bit at once (the registry's ALL_ROLES: any other bit is refused with RegistryInvalidRoles). */
export const ALL_ROLES = ROLE_NAMES.reduce((bits, name) => bits | Role[name], 0);

/** The names of the roles set in `bits`, in bit order. */
export function roleNames(bits: number): RoleName[] {
  return ROLE_NAMES.filter((name) => (bits & Role[name]) !== 0);
}

/** The bits of `names`; throws on a name that is not a role. */
export function roleBits(names: readonly string[]): number {
  return names.reduce((bits, name) => {
    const bit = (Role as Record<string, number>)[name];
    if (bit === undefined) throw new Error(`unknown role "${name}" (roles: ${ROLE_NAMES.join(", ")})`);
    return bits | bit;
  }, 0);
}

/** True when `bits` holds `role`. */
export function hasRole(bits: number, role: RoleName): boolean {
  return (bits & Role[role]) !== 0;
}
