import * as assert from "assert";
import * as fc from "fast-check";
import * as ipaddr from "ipaddr.js";
import { checkTrustedCidr, isIpv6Cidr } from "../lib/cidr";
import { ipv6Subnet, MAX_VPC_PREFIX, MAX_ZONES, MIN_VPC_PREFIX, parseIpv4Cidr, planSubnets, SUBNET_TIERS } from "../lib/subnets";

/** First and last address of a CIDR as numbers. */
function range(cidr: string): [number, number] {
    const { base, prefix } = parseIpv4Cidr(cidr);
    return [base, base + 2 ** (32 - prefix) - 1];
}

/** Any aligned IPv4 network with a prefix the VPC allows. */
const vpcCidr = fc.record({
    address: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    prefix: fc.integer({ min: MIN_VPC_PREFIX, max: MAX_VPC_PREFIX }),
}).map(({ address, prefix }) => {
    const size = 2 ** (32 - prefix);
    const base = address - (address % size);
    const bytes = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
    return `${bytes.join(".")}/${prefix}`;
});
const zoneCount = fc.integer({ min: 1, max: MAX_ZONES });

describe("planSubnets", () => {
    it("pins the /16 layout: app /20s in the first half, public and data /21s in the third and fourth quarters", () => {
        // Existing stacks depend on these exact ranges: changing them would replace every subnet.
        const layout = planSubnets("10.0.0.0/16", 3).map((s) => `${s.tier}-${s.zoneIndex} ${s.cidr}`);
        assert.deepStrictEqual(layout, [
            "public-0 10.0.128.0/21", "public-1 10.0.136.0/21", "public-2 10.0.144.0/21",
            "app-0 10.0.0.0/20", "app-1 10.0.16.0/20", "app-2 10.0.32.0/20",
            "data-0 10.0.192.0/21", "data-1 10.0.200.0/21", "data-2 10.0.208.0/21",
        ]);
    });

    it("gives the app tier, where every pod takes an address, the largest subnets", () => {
        for (const prefix of [16, 19]) {
            const plans = planSubnets(`10.0.0.0/${prefix}`, 2);
            const size = (tier: string) => parseIpv4Cidr(plans.find((p) => p.tier === tier)!.cidr).prefix;
            assert.strictEqual(size("app"), prefix + 4);
            assert.strictEqual(size("public"), prefix + 5);
            assert.strictEqual(size("data"), prefix + 5);
        }
    });

    it("refuses VPC prefixes and zone counts outside what the layout has room for", () => {
        assert.throws(() => planSubnets("10.0.0.0/15", 3), /\/15 is outside \/16..\/19/);
        assert.throws(() => planSubnets("10.0.0.0/20", 3), /\/20 is outside/);
        assert.throws(() => planSubnets("10.0.0.0/16", 0), /zone count 0 is outside 1..8/);
        assert.throws(() => planSubnets("10.0.0.0/16", MAX_ZONES + 1), RangeError);
        assert.throws(() => planSubnets("10.0.0.0/16", 2.5), RangeError);
        assert.throws(() => planSubnets("not a cidr", 3));
    });

    it("for any VPC /16../19 and 1..8 zones: every subnet is an aligned network inside the VPC", () => {
        fc.assert(fc.property(vpcCidr, zoneCount, (vpc, zones) => {
            const vpcRange = ipaddr.IPv4.parseCIDR(vpc);
            for (const { cidr } of planSubnets(vpc, zones)) {
                const [address] = ipaddr.IPv4.parseCIDR(cidr);
                assert.ok(address.match(vpcRange), `${cidr} starts outside ${vpc}`);
                assert.ok(ipaddr.IPv4.broadcastAddressFromCIDR(cidr).match(vpcRange), `${cidr} ends outside ${vpc}`);
                assert.strictEqual(ipaddr.IPv4.networkAddressFromCIDR(cidr).toString(), address.toString(), `${cidr} has host bits`);
            }
        }));
    });

    it("for any VPC and zone count: no two subnets overlap", () => {
        fc.assert(fc.property(vpcCidr, zoneCount, (vpc, zones) => {
            const ranges = planSubnets(vpc, zones).map((s) => ({ cidr: s.cidr, span: range(s.cidr) }))
                .sort((a, b) => a.span[0] - b.span[0]);
            for (let i = 1; i < ranges.length; i++) {
                assert.ok(ranges[i - 1].span[1] < ranges[i].span[0], `${ranges[i - 1].cidr} overlaps ${ranges[i].cidr}`);
            }
        }));
    });

    it("for any VPC and zone count: exactly one subnet per tier per zone", () => {
        fc.assert(fc.property(vpcCidr, zoneCount, (vpc, zones) => {
            const plans = planSubnets(vpc, zones);
            assert.strictEqual(plans.length, SUBNET_TIERS.length * zones);
            for (const tier of SUBNET_TIERS) {
                const indexes = plans.filter((p) => p.tier === tier).map((p) => p.zoneIndex).sort((a, b) => a - b);
                assert.deepStrictEqual(indexes, Array.from({ length: zones }, (_, i) => i));
            }
        }));
    });

    it("for any VPC: adding a zone never moves an existing subnet", () => {
        fc.assert(fc.property(vpcCidr, fc.integer({ min: 1, max: MAX_ZONES - 1 }), (vpc, zones) => {
            const key = (p: { tier: string; zoneIndex: number }) => `${p.tier}-${p.zoneIndex}`;
            const grown = new Map(planSubnets(vpc, zones + 1).map((p) => [key(p), p.cidr]));
            for (const plan of planSubnets(vpc, zones)) {
                assert.strictEqual(grown.get(key(plan)), plan.cidr, `${key(plan)} moved when zone ${zones + 1} was added`);
            }
        }));
    });
});

describe("ipv6Subnet", () => {
    it("numbers the /64s of the VPC's block from its start", () => {
        assert.strictEqual(ipv6Subnet("2600:1f18:abc:de00::/56", 0), "2600:1f18:abc:de00::/64");
        assert.strictEqual(ipv6Subnet("2600:1f18:abc:de00::/56", 2), "2600:1f18:abc:de02::/64");
        assert.strictEqual(ipv6Subnet("2600:1f18:abc:de00::/56", 255), "2600:1f18:abc:deff::/64");
    });

    it("refuses an index beyond the block and blocks smaller than a /64", () => {
        assert.throws(() => ipv6Subnet("2600:1f18:abc:de00::/56", 256), RangeError);
        assert.throws(() => ipv6Subnet("2600:1f18:abc:de00::/56", -1), RangeError);
        assert.throws(() => ipv6Subnet("2600:1f18:abc:de00::/72", 0), RangeError);
    });

    it("for any /56: each of its 256 indexes gives a different /64 inside the block", () => {
        const block56 = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 4, maxLength: 4 })
            .map(([a, b, c, d]) => `${new ipaddr.IPv6([a, b, c, d & 0xff00, 0, 0, 0, 0]).toString()}/56`);
        fc.assert(fc.property(block56, (vpc) => {
            const subnets = Array.from({ length: 256 }, (_, index) => ipv6Subnet(vpc, index));
            for (const subnet of subnets) {
                const [address, prefix] = ipaddr.IPv6.parseCIDR(subnet);
                assert.strictEqual(prefix, 64);
                assert.ok(address.match(ipaddr.IPv6.parseCIDR(vpc)), `${subnet} is outside ${vpc}`);
            }
            assert.strictEqual(new Set(subnets).size, subnets.length);
        }));
    });
});

describe("parseIpv4Cidr", () => {
    it("reads the network address as a number and the prefix length", () => {
        assert.deepStrictEqual(parseIpv4Cidr("10.20.0.0/16"), { base: 10 * 2 ** 24 + 20 * 2 ** 16, prefix: 16 });
        assert.deepStrictEqual(parseIpv4Cidr("255.255.255.255/32"), { base: 2 ** 32 - 1, prefix: 32 });
        assert.throws(() => parseIpv4Cidr("2001:db8::/32"));
        // Shorthands ipaddr.js reads but AWS refuses.
        for (const shorthand of ["10.0/16", "10.0.0/16", "0x0a.0.0.0/16", "010.0.0.0/16"]) {
            assert.throws(() => parseIpv4Cidr(shorthand), /four decimal numbers/, shorthand);
        }
    });
});

describe("checkTrustedCidr", () => {
    it("accepts IPv4 and IPv6 networks, down to single addresses", () => {
        for (const cidr of ["203.0.113.0/24", "198.51.100.10/32", "2001:db8::/32", "2001:db8:1000::/48", "2001:db8::1/128", "0.0.0.0/1"]) {
            assert.deepStrictEqual(checkTrustedCidr(cidr), { ok: true }, cidr);
        }
    });

    it("refuses the whole IPv4 and IPv6 Internet", () => {
        for (const cidr of ["0.0.0.0/0", "::/0"]) {
            const check = checkTrustedCidr(cidr);
            assert.ok(!check.ok && /whole Internet/.test(check.reason), cidr);
        }
    });

    it("refuses host bits and names the network to write instead", () => {
        assert.deepStrictEqual(checkTrustedCidr("203.0.113.7/24"),
            { ok: false, reason: "has host bits set; write it as 203.0.113.0/24" });
        assert.deepStrictEqual(checkTrustedCidr("2001:db8::1/48"),
            { ok: false, reason: "has host bits set; write it as 2001:db8::/48" });
    });

    it("refuses what is not a CIDR, with an example of one", () => {
        for (const cidr of ["office", "203.0.113.0", "203.0.113.0/33", "2001:db8::/129", "", "10.0/16", "0xcb.0.113.0/24"]) {
            const check = checkTrustedCidr(cidr);
            assert.ok(!check.ok && /such as 203\.0\.113\.0\/24/.test(check.reason), cidr);
        }
    });

    it("tells IPv6 from IPv4, which security groups take in separate fields", () => {
        assert.strictEqual(isIpv6Cidr("2001:db8::/32"), true);
        assert.strictEqual(isIpv6Cidr("203.0.113.0/24"), false);
    });
});
