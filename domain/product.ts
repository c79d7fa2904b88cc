/**
 * What the product is called wherever people see it: the app's header and tab titles, and the
 * server's sign-in page, which a patient must recognise as the same service.
 */
export const PRODUCT_NAME = 'Clinic appointments';
