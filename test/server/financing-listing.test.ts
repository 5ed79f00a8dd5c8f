// An offer names the listing it was made on (issue 9 follow-up, defect A), through the API on a real chain,
// database and HTTP: a bid on a closed listing is refused by the server and by the market on the next listing,
// and a bid on the open listing is accepted.
import { expect } from "chai";
import { Contract } from "ethers";
import { factoringMarketAbi, settlementTokenAbi } from "../../deployments/contracts.ts";
import { DEMO_INVOICES } from "../../scripts/demo.ts";
import { OFFER_TYPES } from "../../server/financing/chain.ts";
import { startEnv, api, login, account, waitForHead, DATABASES, type TestEnv } from "./helpers.ts";

const idHex = (id: bigint) => "0x" + id.toString(16).padStart(64, "0");
const UNIT = 1_000_000n;
const DAY_S = 86_400;
const SELLER = 1;
const FINANCIER = 5;

for (const database of DATABASES) {
  describe(`an offer is valid only on its listing (${database})`, function () {
    let env: TestEnv;
    let id: bigint;
    const tokens = new Map<number, string>();
    const t = (i: number) => tokens.get(i)!;
    const now = async () => Number((await env.provider.send("eth_getBlockByNumber", ["latest", false])).timestamp);
    const contract = async (address: string, abi: unknown, index: number) => new Contract(address, abi as any, await env.provider.getSigner(index));
    async function sign(listing: number, price: bigint, nonce: bigint, expiry: number) {
      return await account(FINANCIER).signTypedData({
        domain: {
          name: "FactoringMarket",
          version: "1",
          chainId: env.deployment.chainId,
          verifyingContract: env.deployment.contracts.FactoringMarket as `0x${string}`,
        },
        types: OFFER_TYPES,
        primaryType: "Offer",
        message: { id, listing, financier: account(FINANCIER).address, price, nonce, expiry: BigInt(expiry) },
      });
    }
    const body = (price: bigint, nonce: bigint, expiry: number, signature: string, listing?: number) => ({
      kind: "factoring",
      receivableId: idHex(id),
      price: price.toString(),
      ...(listing === undefined ? {} : { listing }),
      nonce: nonce.toString(),
      expiry,
      signature,
    });

    before(async function () {
      env = await startEnv({ database });
      for (const i of [SELLER, FINANCIER]) tokens.set(i, await login(env.server.url, i));
      id = env.ids[DEMO_INVOICES.findIndex((i) => i.invoiceNumber === "INV-2026-0001")]!;
    });
    after(async () => env?.stop());

    it("a bid on listing 0 is refused on listing 1 (API 409/422, market MarketWrongListing(id, 0, 1)); a bid on listing 1 is sold", async () => {
      const market = await contract(env.deployment.contracts.FactoringMarket!, factoringMarketAbi, SELLER);
      const tokenF = await contract(env.deployment.contracts.SettlementToken, settlementTokenAbi, FINANCIER);
      await (await tokenF.getFunction("approve")(env.deployment.contracts.FactoringMarket, 10n ** 30n)).wait();
      // Listing 0, without recourse: the financier bids 110,000.
      await (await market.getFunction("list")(id, 100_000n * UNIT, (await now()) + 7 * DAY_S, false, 0)).wait();
      await waitForHead(env);
      const expiry = (await now()) + 5 * DAY_S;
      const oldPrice = 110_000n * UNIT;
      const oldSig = await sign(0, oldPrice, 41n, expiry);
      const old = await api(env.server.url, "/api/financing/offers", { method: "POST", token: t(FINANCIER), body: body(oldPrice, 41n, expiry, oldSig, 0) });
      expect(old.status, JSON.stringify(old.body)).to.equal(201);
      expect(old.body.onChain.offer).to.include({ listing: 0 });
      // The seller closes it and lists again, now with recourse: listing 1.
      await (await market.getFunction("closeListing")(id)).wait();
      await (await market.getFunction("list")(id, 100_000n * UNIT, (await now()) + 7 * DAY_S, true, 1_000)).wait();
      await waitForHead(env);
      const rec = await api(env.server.url, `/api/financing/receivables/${idHex(id)}`, { token: t(SELLER) });
      expect(rec.body.listings.map((l: any) => [l.seq, l.status])).to.deep.equal([
        [0, "closed"],
        [1, "open"],
      ]);
      // The old signature, posted again: the server names both listings; without `listing` the signature fails.
      const again = await api(env.server.url, "/api/financing/offers", { method: "POST", token: t(FINANCIER), body: body(oldPrice, 42n, expiry, oldSig, 0) });
      expect(again.status).to.equal(409);
      expect(again.body.error.message).to.match(/listing 0 .*open listing is 1/);
      const unnamed = await api(env.server.url, "/api/financing/offers", { method: "POST", token: t(FINANCIER), body: body(oldPrice, 41n, expiry, oldSig) });
      expect(unnamed.status).to.equal(422);
      expect(unnamed.body.error.message).to.match(/on listing 1/);
      // The market refuses the old bid on the new listing, with the values; nothing moves, the nonce stays unused.
      const o = old.body.onChain.offer;
      const tuple = {
        id: BigInt(o.id),
        listing: Number(o.listing),
        financier: o.financier,
        price: BigInt(o.price),
        nonce: BigInt(o.nonce),
        expiry: BigInt(o.expiry),
      };
      const err = await market
        .getFunction("acceptOffer")
        .staticCall(tuple, old.body.signature)
        .then(
          () => null,
          (e: any) => e,
        );
      expect(err, "the old bid must be refused").to.not.equal(null);
      const decoded = market.interface.parseError(err.data);
      expect(decoded?.name).to.equal("MarketWrongListing");
      expect(decoded?.args.map((x: unknown) => BigInt(x as bigint))).to.deep.equal([id, 0n, 1n]);
      expect(await market.getFunction("isNonceUsed")(account(FINANCIER).address, 41n)).to.equal(false);
      // The old offer is shown as closed (its listing ended), not as a live bid on the new listing.
      const mine = (await api(env.server.url, `/api/financing/offers?receivableId=${idHex(id)}`, { token: t(FINANCIER) })).body.items;
      expect(mine.find((x: any) => x.id === old.body.id).state).to.equal("closed");
      // A bid on listing 1 is accepted by the server and sold on chain.
      const newPrice = 111_000n * UNIT;
      const fresh = await api(env.server.url, "/api/financing/offers", {
        method: "POST",
        token: t(FINANCIER),
        body: body(newPrice, 43n, expiry, await sign(1, newPrice, 43n, expiry), 1),
      });
      expect(fresh.status, JSON.stringify(fresh.body)).to.equal(201);
      const f = fresh.body.onChain.offer;
      expect(f).to.include({ listing: 1 });
      await (
        await market.getFunction("acceptOffer")(
          { id: BigInt(f.id), listing: Number(f.listing), financier: f.financier, price: BigInt(f.price), nonce: BigInt(f.nonce), expiry: BigInt(f.expiry) },
          fresh.body.signature,
        )
      ).wait();
      await waitForHead(env);
      const after = await api(env.server.url, `/api/financing/receivables/${idHex(id)}`, { token: t(FINANCIER) });
      expect(after.body.listings.map((l: any) => [l.seq, l.status])).to.deep.equal([
        [0, "closed"],
        [1, "sold"],
      ]);
      expect(after.body.sales[0]).to.include({ financier: account(FINANCIER).address.toLowerCase(), price: newPrice.toString(), withRecourse: true });
    });
  });
}
