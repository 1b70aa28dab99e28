import type { Page } from '@playwright/test';

/** Fills and submits the signup form. */
export async function signUp(page: Page, name: string, email: string): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** Fills and submits the demo-request form. */
export async function requestDemo(page: Page, email: string): Promise<void> {
  await page.goto('/demo');
  await page.getByLabel('Name').fill('Grace Hopper');
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Company').fill('Initech');
  await page.getByLabel('Team size').selectOption('21–100');
  await page.getByRole('button', { name: 'Request a demo' }).click();
}

/** Fills and submits the support escalation form with a critical severity. */
export async function escalateCritical(page: Page): Promise<void> {
  await page.goto('/support/escalate');
  await page.getByLabel('Customer').fill('Globex');
  await page.getByLabel('Severity').selectOption('critical');
  await page.getByLabel('What is wrong').fill('Checkout answers 500 for every customer in the EU since 09:40');
  await page.getByRole('button', { name: 'Escalate' }).click();
}

/** From a signed-in page, joins the new checkout's beta in Labs. */
export async function joinNewCheckoutBeta(page: Page): Promise<void> {
  await page.goto('/labs');
  await page.getByRole('button', { name: 'Join the beta: The new checkout' }).click();
}

/** A fresh address per test (accounts are unique by email). */
export const freshEmail = (name: string): string => `${name}.${Math.random().toString(36).slice(2, 10)}@example.com`;
