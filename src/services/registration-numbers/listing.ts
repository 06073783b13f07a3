import {
  REGISTRATION_NUMBER_STATES,
  type RegistrationNumberPage,
  type RegistrationNumberQuery,
  type RegistrationNumberState,
} from "../../contract/staff.ts";
import type { RegistrationNumbersRepository } from "../../db/repositories/registration-numbers.ts";
import { validateCode } from "../../domain/catalogue.ts";
import type { Clock } from "../../domain/clock.ts";
import { badRequest } from "../../domain/errors.ts";
import { pageOf, parsePaging, rowsToRead } from "../../domain/paging.ts";

const given = (value: string | undefined) =>
  value === undefined || value.trim() === "" ? undefined : value.trim();

export interface NumberListingDeps {
  readonly clock: Clock;
  /** The repository made over `db`. */
  readonly registrationNumbers: RegistrationNumbersRepository;
}

/** The staff's list of registration numbers: by product, leading digits and state, newest first. */
export function createNumberListing(deps: NumberListingDeps) {
  const { clock, registrationNumbers } = deps;
  return {
    /** The filters as given (the state as any text, which is checked here as well as by the API's schema). */
    async listNumbers(
      query: Omit<RegistrationNumberQuery, "state"> & { state?: string },
    ): Promise<RegistrationNumberPage> {
      const paging = parsePaging(query);
      const product = given(query.product);
      if (product !== undefined) validateCode(product, "product code");
      const numberPrefix = given(query.number);
      if (numberPrefix !== undefined && !/^[0-9]{1,12}$/.test(numberPrefix)) {
        throw badRequest(
          "invalid_registration_number",
          "number is the first 1 to 12 digits of a registration number.",
          {
            field: "number",
          },
        );
      }
      const state = given(query.state);
      if (state !== undefined && !(REGISTRATION_NUMBER_STATES as readonly string[]).includes(state)) {
        throw badRequest("invalid_state", `state is one of ${REGISTRATION_NUMBER_STATES.join(", ")}.`, {
          field: "state",
        });
      }
      const rows = await registrationNumbers.list(
        {
          product,
          numberPrefix,
          state: state as RegistrationNumberState | undefined,
          at: clock.now().toISOString(),
        },
        { ...paging, limit: rowsToRead(paging) },
      );
      return pageOf(rows, paging);
    },
  };
}
