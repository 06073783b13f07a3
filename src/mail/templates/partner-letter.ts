import type { AuthorizedProduct } from "../../contract/partners.ts";
import type { Organization } from "../../domain/organization.ts";

/** The subject of the mail that carries the client's letter. */
export function clientLetterSubject(userCode: string): string {
  return `Your user code ${userCode} for the user support site`;
}

/** The letter the partner sends the client: user code, password and the authorised products. */
export function clientLetter(input: {
  partner: string;
  organization: Organization;
  userCode: string;
  password: string;
  activeFrom: string;
  products: readonly AuthorizedProduct[];
}): string {
  const lines = [
    `To: ${input.organization.name}`,
    `    ${input.organization.address}, ${input.organization.postalCode}`,
    `    Attn: ${input.organization.responsiblePerson}`,
    "",
    `Your products have been registered on the user support site by ${input.partner}.`,
    "",
    `    User code: ${input.userCode}`,
    `    Password:  ${input.password}`,
    `    You can sign in from ${input.activeFrom}.`,
    "",
    "Authorised software products:",
    ...input.products.map(
      (p) =>
        `  - ${p.registrationNumber}  ${p.productName} (${p.product}, ${p.edition.toUpperCase()}): ${p.configurations.join(", ")}`,
    ),
    "",
    "Keep this letter: the password is not stored in readable form and cannot be shown again.",
    "When you buy another product, give this user code to the selling partner to add it to your account.",
    "",
  ];
  return lines.join("\n");
}
