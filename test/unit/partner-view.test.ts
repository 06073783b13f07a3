import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { authorizationSupportWarning, partnerView } from "../../src/domain/partner-view.ts";

const ALPHA = "partner-alpha";
const BETA = "partner-beta";

const account = {
  registeredBy: ALPHA,
  numbers: [
    { registrationNumber: "100000001", authorizedBy: ALPHA },
    { registrationNumber: "100000002", authorizedBy: BETA },
    { registrationNumber: "100000003", authorizedBy: null },
  ],
};

describe("what a partner sees of an account", () => {
  it("the registering partner sees the organisation and every product", () => {
    const view = partnerView(ALPHA, account);
    assert.equal(view?.relation, "registered");
    assert.equal(view?.organizationVisible, true);
    assert.deepEqual(
      view?.numbers.map((n) => n.registrationNumber),
      ["100000001", "100000002", "100000003"],
    );
  });

  it("a partner that authorised a later purchase sees only its own numbers, not the organisation", () => {
    const view = partnerView(BETA, account);
    assert.equal(view?.relation, "authorized");
    assert.equal(view?.organizationVisible, false);
    assert.deepEqual(view?.numbers, [{ registrationNumber: "100000002", authorizedBy: BETA }]);
  });

  it("on a self-registered account too", () => {
    const selfRegistered = { registeredBy: null, numbers: account.numbers };
    assert.deepEqual(
      partnerView(ALPHA, selfRegistered)?.numbers.map((n) => n.registrationNumber),
      ["100000001"],
    );
    assert.equal(partnerView(ALPHA, selfRegistered)?.organizationVisible, false);
  });

  it("any other partner sees nothing, nor does anyone see the user's PIN numbers through a null partner", () => {
    assert.equal(partnerView("partner-gamma", account), null);
    assert.equal(partnerView(BETA, { registeredBy: null, numbers: [] }), null);
    const pinOnly = { registeredBy: null, numbers: [{ registrationNumber: "1", authorizedBy: null }] };
    assert.equal(partnerView("", pinOnly), null);
  });
});

describe("the warning before a partner authorises a number", () => {
  it("warns for a PROF number without support this month only", () => {
    assert.equal(authorizationSupportWarning({ needed: true, coveredThisMonth: false }), true);
    assert.equal(authorizationSupportWarning({ needed: true, coveredThisMonth: true }), false);
    assert.equal(authorizationSupportWarning({ needed: false, coveredThisMonth: true }), false);
  });
});
