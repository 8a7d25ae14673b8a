/** Every text of the pages. English is the reference; each other locale must define every key. */
export const en = {
  'lang.name': 'English',
  'page.signIn': 'Sign in',
  'page.changePassword': 'Change password',
  'page.signedOut': 'Signed out',
  'page.signedIn': 'Signed in',
  'page.error': 'Something went wrong',
  'signIn.lead': 'Sign in with your contact center account.',
  'signIn.to': 'to continue to {client}',
  'field.tenant': 'Tenant',
  'field.tenantHint': 'Your contact center domain, for example t100.',
  'field.username': 'User name',
  'field.usernameHint': 'Or type tenant\\user here, for example t100\\agent1.',
  'field.password': 'Password',
  'field.oldPassword': 'Current password',
  'field.newPassword': 'New password',
  'field.confirmPassword': 'Confirm new password',
  'field.newPasswordHint': 'At least 8 characters; avoid common passwords and your user name.',
  'action.signIn': 'Sign in',
  'action.continueSso': 'Continue with single sign-on',
  'signIn.ssoHint': 'For single sign-on, give your tenant and user name and leave the password empty.',
  'action.signingIn': 'Signing in…',
  'action.changePassword': 'Change password',
  'action.showPassword': 'Show password',
  'link.changePassword': 'Change your password',
  'link.signIn': 'Back to sign in',
  'link.language': 'Language',
  'signedOut.body': 'You have been signed out. You can close this window or sign in again.',
  'signedIn.body': 'You can close this window and return to your application.',
  'changed.body': 'Your password has been changed. Sign in with your new password.',
  'error.invalid_credentials': 'The user name or password is incorrect.',
  'error.request_expired': 'This sign-in page has expired. Go back to your application and try again.',
  'error.csrf': 'Your sign-in could not be verified. Go back to your application and try again.',
  'error.too_many_attempts': 'Too many unsuccessful attempts. Go back to your application and start again.',
  'error.invalid_client': 'The application that sent you here is not registered.',
  'error.invalid_redirect_uri':
    'The application that sent you here gave a return address that is not registered. You were not sent back to it.',
  'error.invalid_request': 'The sign-in request is incomplete or malformed.',
  'error.password_mismatch': 'The new passwords do not match.',
  'error.password_policy': 'The new password does not meet these rules:',
  'error.unavailable': 'The sign-in service is unavailable. Please try again in a moment.',
  'error.directory_unavailable':
    "Your contact center's user directory cannot be reached, so your password could not be checked. Please try again in a few minutes.",
  'error.sso_unsolicited':
    'The answer of your identity provider was not expected by this browser. Go back to your application and sign in again.',
  'error.sso_expired':
    'Your single sign-on took too long or was already used. Go back to your application and sign in again.',
  'error.sso_idp_error': 'Your identity provider did not sign you in. Go back to your application and try again.',
  'error.sso_idp_unavailable':
    "Your contact center's identity provider cannot be reached. Please try again in a few minutes.",
  'error.sso_invalid_response':
    'The answer of your identity provider could not be verified, so you were not signed in.',
  'error.sso_unknown_idp': 'Single sign-on is not set up for your contact center.',
  'error.sso_unknown_user':
    'Your identity provider signed you in, but your contact center has no user for you. Ask your administrator.',
  'error.sso_locked':
    'Your identity provider signed you in, but your account is locked after too many unsuccessful sign-ins. Try again later or ask your administrator.',
  'error.sso_disabled':
    'Your identity provider signed you in, but your account in your contact center is disabled. Ask your administrator.',
  'error.generic': 'The request could not be completed.',
  'error.title': 'There is a problem',
  'field.usernameHintTenant': 'Type it as tenant\\user, for example t100\\agent1.',
  'page.notSignedIn': 'Not signed in',
  'page.notFound': 'Page not found',
  'signedIn.as': 'You are signed in as {name}.',
  'signedIn.none': 'This browser is not signed in.',
  'action.signOut': 'Sign out',
  'notFound.body': 'There is nothing at this address. Check it for typing mistakes.',
  'rule.min_length': 'at least 8 characters',
  'rule.max_length': 'at most 256 characters',
  'rule.not_blank': 'not only spaces',
  'rule.not_user_name': 'not your user name',
  'rule.not_common': 'not a commonly used password',
  'footer.notice': 'Enter your password only on this page. Your contact center never asks for it by e-mail or phone.',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

const de: Messages = {
  'lang.name': 'Deutsch',
  'page.signIn': 'Anmelden',
  'page.changePassword': 'Passwort ändern',
  'page.signedOut': 'Abgemeldet',
  'page.signedIn': 'Angemeldet',
  'page.error': 'Etwas ist schiefgelaufen',
  'signIn.lead': 'Melden Sie sich mit Ihrem Contact-Center-Konto an.',
  'signIn.to': 'um mit {client} fortzufahren',
  'field.tenant': 'Mandant',
  'field.tenantHint': 'Die Domäne Ihres Contact Centers, zum Beispiel t100.',
  'field.username': 'Benutzername',
  'field.usernameHint': 'Oder hier als Mandant\\Benutzer eingeben, zum Beispiel t100\\agent1.',
  'field.password': 'Passwort',
  'field.oldPassword': 'Aktuelles Passwort',
  'field.newPassword': 'Neues Passwort',
  'field.confirmPassword': 'Neues Passwort bestätigen',
  'field.newPasswordHint': 'Mindestens 8 Zeichen; keine gängigen Passwörter und nicht Ihr Benutzername.',
  'action.signIn': 'Anmelden',
  'action.continueSso': 'Mit Single Sign-on fortfahren',
  'signIn.ssoHint': 'Für Single Sign-on Mandant und Benutzernamen angeben und das Passwort leer lassen.',
  'action.signingIn': 'Anmeldung läuft…',
  'action.changePassword': 'Passwort ändern',
  'action.showPassword': 'Passwort anzeigen',
  'link.changePassword': 'Passwort ändern',
  'link.signIn': 'Zurück zur Anmeldung',
  'link.language': 'Sprache',
  'signedOut.body': 'Sie wurden abgemeldet. Sie können dieses Fenster schließen oder sich erneut anmelden.',
  'signedIn.body': 'Sie können dieses Fenster schließen und zu Ihrer Anwendung zurückkehren.',
  'changed.body': 'Ihr Passwort wurde geändert. Melden Sie sich mit dem neuen Passwort an.',
  'error.invalid_credentials': 'Benutzername oder Passwort ist falsch.',
  'error.request_expired':
    'Diese Anmeldeseite ist abgelaufen. Kehren Sie zu Ihrer Anwendung zurück und versuchen Sie es erneut.',
  'error.csrf':
    'Ihre Anmeldung konnte nicht überprüft werden. Kehren Sie zu Ihrer Anwendung zurück und versuchen Sie es erneut.',
  'error.too_many_attempts':
    'Zu viele fehlgeschlagene Versuche. Kehren Sie zu Ihrer Anwendung zurück und beginnen Sie von vorn.',
  'error.invalid_client': 'Die Anwendung, die Sie hierher geleitet hat, ist nicht registriert.',
  'error.invalid_redirect_uri':
    'Die Anwendung hat eine nicht registrierte Rücksprungadresse angegeben. Sie wurden nicht dorthin weitergeleitet.',
  'error.invalid_request': 'Die Anmeldeanfrage ist unvollständig oder fehlerhaft.',
  'error.password_mismatch': 'Die neuen Passwörter stimmen nicht überein.',
  'error.password_policy': 'Das neue Passwort erfüllt diese Regeln nicht:',
  'error.unavailable': 'Der Anmeldedienst ist nicht erreichbar. Bitte versuchen Sie es gleich noch einmal.',
  'error.directory_unavailable':
    'Das Benutzerverzeichnis Ihres Contact Centers ist nicht erreichbar; Ihr Passwort konnte nicht geprüft werden. Bitte versuchen Sie es in einigen Minuten erneut.',
  'error.sso_unsolicited':
    'Die Antwort Ihres Identitätsanbieters wurde von diesem Browser nicht erwartet. Kehren Sie zu Ihrer Anwendung zurück und melden Sie sich erneut an.',
  'error.sso_expired':
    'Ihre Single-Sign-on-Anmeldung hat zu lange gedauert oder wurde bereits verwendet. Kehren Sie zu Ihrer Anwendung zurück und melden Sie sich erneut an.',
  'error.sso_idp_error':
    'Ihr Identitätsanbieter hat Sie nicht angemeldet. Kehren Sie zu Ihrer Anwendung zurück und versuchen Sie es erneut.',
  'error.sso_idp_unavailable':
    'Der Identitätsanbieter Ihres Contact Centers ist nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut.',
  'error.sso_invalid_response':
    'Die Antwort Ihres Identitätsanbieters konnte nicht geprüft werden; Sie wurden nicht angemeldet.',
  'error.sso_unknown_idp': 'Für Ihr Contact Center ist kein Single Sign-on eingerichtet.',
  'error.sso_unknown_user':
    'Ihr Identitätsanbieter hat Sie angemeldet, aber Ihr Contact Center kennt keinen Benutzer für Sie. Wenden Sie sich an Ihre Administration.',
  'error.sso_locked':
    'Ihr Identitätsanbieter hat Sie angemeldet, aber Ihr Konto ist nach zu vielen fehlgeschlagenen Anmeldungen gesperrt. Versuchen Sie es später erneut oder wenden Sie sich an Ihre Administration.',
  'error.sso_disabled':
    'Ihr Identitätsanbieter hat Sie angemeldet, aber Ihr Konto in Ihrem Contact Center ist deaktiviert. Wenden Sie sich an Ihre Administration.',
  'error.generic': 'Die Anfrage konnte nicht ausgeführt werden.',
  'error.title': 'Es ist ein Problem aufgetreten',
  'field.usernameHintTenant': 'Als Mandant\\Benutzer eingeben, zum Beispiel t100\\agent1.',
  'page.notSignedIn': 'Nicht angemeldet',
  'page.notFound': 'Seite nicht gefunden',
  'signedIn.as': 'Sie sind als {name} angemeldet.',
  'signedIn.none': 'Dieser Browser ist nicht angemeldet.',
  'action.signOut': 'Abmelden',
  'notFound.body': 'Unter dieser Adresse gibt es nichts. Prüfen Sie sie auf Tippfehler.',
  'rule.min_length': 'mindestens 8 Zeichen',
  'rule.max_length': 'höchstens 256 Zeichen',
  'rule.not_blank': 'nicht nur Leerzeichen',
  'rule.not_user_name': 'nicht Ihr Benutzername',
  'rule.not_common': 'kein häufig verwendetes Passwort',
  'footer.notice':
    'Geben Sie Ihr Passwort nur auf dieser Seite ein. Ihr Contact Center fragt nie per E-Mail oder Telefon danach.',
};

const fr: Messages = {
  'lang.name': 'Français',
  'page.signIn': 'Connexion',
  'page.changePassword': 'Changer le mot de passe',
  'page.signedOut': 'Déconnecté',
  'page.signedIn': 'Connecté',
  'page.error': 'Une erreur est survenue',
  'signIn.lead': 'Connectez-vous avec votre compte du centre de contact.',
  'signIn.to': 'pour continuer vers {client}',
  'field.tenant': 'Locataire',
  'field.tenantHint': 'Le domaine de votre centre de contact, par exemple t100.',
  'field.username': "Nom d'utilisateur",
  'field.usernameHint': 'Ou saisissez ici locataire\\utilisateur, par exemple t100\\agent1.',
  'field.password': 'Mot de passe',
  'field.oldPassword': 'Mot de passe actuel',
  'field.newPassword': 'Nouveau mot de passe',
  'field.confirmPassword': 'Confirmer le nouveau mot de passe',
  'field.newPasswordHint': "Au moins 8 caractères ; évitez les mots de passe courants et votre nom d'utilisateur.",
  'action.signIn': 'Se connecter',
  'action.continueSso': "Continuer avec l'authentification unique",
  'signIn.ssoHint':
    "Pour l'authentification unique, indiquez votre locataire et votre nom d'utilisateur et laissez le mot de passe vide.",
  'action.signingIn': 'Connexion…',
  'action.changePassword': 'Changer le mot de passe',
  'action.showPassword': 'Afficher le mot de passe',
  'link.changePassword': 'Changer votre mot de passe',
  'link.signIn': 'Retour à la connexion',
  'link.language': 'Langue',
  'signedOut.body': 'Vous avez été déconnecté. Vous pouvez fermer cette fenêtre ou vous reconnecter.',
  'signedIn.body': 'Vous pouvez fermer cette fenêtre et revenir à votre application.',
  'changed.body': 'Votre mot de passe a été modifié. Connectez-vous avec le nouveau mot de passe.',
  'error.invalid_credentials': "Le nom d'utilisateur ou le mot de passe est incorrect.",
  'error.request_expired': 'Cette page de connexion a expiré. Revenez à votre application et réessayez.',
  'error.csrf': "Votre connexion n'a pas pu être vérifiée. Revenez à votre application et réessayez.",
  'error.too_many_attempts': 'Trop de tentatives infructueuses. Revenez à votre application et recommencez.',
  'error.invalid_client': "L'application qui vous a envoyé ici n'est pas enregistrée.",
  'error.invalid_redirect_uri':
    "L'application a fourni une adresse de retour non enregistrée. Vous n'y avez pas été renvoyé.",
  'error.invalid_request': 'La demande de connexion est incomplète ou mal formée.',
  'error.password_mismatch': 'Les nouveaux mots de passe ne correspondent pas.',
  'error.password_policy': 'Le nouveau mot de passe ne respecte pas ces règles :',
  'error.unavailable': 'Le service de connexion est indisponible. Veuillez réessayer dans un instant.',
  'error.directory_unavailable':
    "L'annuaire des utilisateurs de votre centre de contact est injoignable ; votre mot de passe n'a pas pu être vérifié. Réessayez dans quelques minutes.",
  'error.sso_unsolicited':
    "La réponse de votre fournisseur d'identité n'était pas attendue par ce navigateur. Revenez à votre application et reconnectez-vous.",
  'error.sso_expired':
    'Votre authentification unique a pris trop de temps ou a déjà été utilisée. Revenez à votre application et reconnectez-vous.',
  'error.sso_idp_error':
    "Votre fournisseur d'identité ne vous a pas connecté. Revenez à votre application et réessayez.",
  'error.sso_idp_unavailable':
    "Le fournisseur d'identité de votre centre de contact est injoignable. Réessayez dans quelques minutes.",
  'error.sso_invalid_response':
    "La réponse de votre fournisseur d'identité n'a pas pu être vérifiée ; vous n'êtes pas connecté.",
  'error.sso_unknown_idp': "L'authentification unique n'est pas configurée pour votre centre de contact.",
  'error.sso_unknown_user':
    "Votre fournisseur d'identité vous a connecté, mais votre centre de contact n'a pas d'utilisateur pour vous. Contactez votre administrateur.",
  'error.sso_locked':
    "Votre fournisseur d'identité vous a connecté, mais votre compte est verrouillé après trop de connexions infructueuses. Réessayez plus tard ou contactez votre administrateur.",
  'error.sso_disabled':
    "Votre fournisseur d'identité vous a connecté, mais votre compte dans votre centre de contact est désactivé. Contactez votre administrateur.",
  'error.generic': "La demande n'a pas pu aboutir.",
  'error.title': 'Un problème est survenu',
  'field.usernameHintTenant': 'Saisissez-le sous la forme locataire\\utilisateur, par exemple t100\\agent1.',
  'page.notSignedIn': 'Non connecté',
  'page.notFound': 'Page introuvable',
  'signedIn.as': 'Vous êtes connecté en tant que {name}.',
  'signedIn.none': "Ce navigateur n'est pas connecté.",
  'action.signOut': 'Se déconnecter',
  'notFound.body': "Il n'y a rien à cette adresse. Vérifiez qu'elle ne contient pas de faute de frappe.",
  'rule.min_length': 'au moins 8 caractères',
  'rule.max_length': 'au plus 256 caractères',
  'rule.not_blank': 'pas uniquement des espaces',
  'rule.not_user_name': "pas votre nom d'utilisateur",
  'rule.not_common': 'pas un mot de passe courant',
  'footer.notice':
    'Ne saisissez votre mot de passe que sur cette page. Votre centre de contact ne le demande jamais par e-mail ni par téléphone.',
};

const es: Messages = {
  'lang.name': 'Español',
  'page.signIn': 'Iniciar sesión',
  'page.changePassword': 'Cambiar contraseña',
  'page.signedOut': 'Sesión cerrada',
  'page.signedIn': 'Sesión iniciada',
  'page.error': 'Algo salió mal',
  'signIn.lead': 'Inicie sesión con su cuenta del centro de contacto.',
  'signIn.to': 'para continuar en {client}',
  'field.tenant': 'Inquilino',
  'field.tenantHint': 'El dominio de su centro de contacto, por ejemplo t100.',
  'field.username': 'Nombre de usuario',
  'field.usernameHint': 'O escriba aquí inquilino\\usuario, por ejemplo t100\\agent1.',
  'field.password': 'Contraseña',
  'field.oldPassword': 'Contraseña actual',
  'field.newPassword': 'Nueva contraseña',
  'field.confirmPassword': 'Confirmar la nueva contraseña',
  'field.newPasswordHint': 'Al menos 8 caracteres; evite contraseñas comunes y su nombre de usuario.',
  'action.signIn': 'Iniciar sesión',
  'action.continueSso': 'Continuar con inicio de sesión único',
  'signIn.ssoHint':
    'Para el inicio de sesión único, indique su inquilino y su nombre de usuario y deje la contraseña vacía.',
  'action.signingIn': 'Iniciando sesión…',
  'action.changePassword': 'Cambiar contraseña',
  'action.showPassword': 'Mostrar contraseña',
  'link.changePassword': 'Cambiar su contraseña',
  'link.signIn': 'Volver a iniciar sesión',
  'link.language': 'Idioma',
  'signedOut.body': 'Ha cerrado la sesión. Puede cerrar esta ventana o iniciar sesión de nuevo.',
  'signedIn.body': 'Puede cerrar esta ventana y volver a su aplicación.',
  'changed.body': 'Su contraseña se ha cambiado. Inicie sesión con la nueva contraseña.',
  'error.invalid_credentials': 'El nombre de usuario o la contraseña no son correctos.',
  'error.request_expired': 'Esta página de inicio de sesión ha caducado. Vuelva a su aplicación e inténtelo de nuevo.',
  'error.csrf': 'No se pudo verificar su inicio de sesión. Vuelva a su aplicación e inténtelo de nuevo.',
  'error.too_many_attempts': 'Demasiados intentos fallidos. Vuelva a su aplicación y empiece de nuevo.',
  'error.invalid_client': 'La aplicación que le envió aquí no está registrada.',
  'error.invalid_redirect_uri':
    'La aplicación indicó una dirección de retorno no registrada. No se le ha redirigido a ella.',
  'error.invalid_request': 'La solicitud de inicio de sesión está incompleta o mal formada.',
  'error.password_mismatch': 'Las nuevas contraseñas no coinciden.',
  'error.password_policy': 'La nueva contraseña no cumple estas reglas:',
  'error.unavailable': 'El servicio de inicio de sesión no está disponible. Inténtelo de nuevo en un momento.',
  'error.directory_unavailable':
    'No se puede acceder al directorio de usuarios de su centro de contacto, así que no se pudo comprobar su contraseña. Inténtelo de nuevo en unos minutos.',
  'error.sso_unsolicited':
    'Este navegador no esperaba la respuesta de su proveedor de identidad. Vuelva a su aplicación e inicie sesión de nuevo.',
  'error.sso_expired':
    'Su inicio de sesión único tardó demasiado o ya se utilizó. Vuelva a su aplicación e inicie sesión de nuevo.',
  'error.sso_idp_error': 'Su proveedor de identidad no inició su sesión. Vuelva a su aplicación e inténtelo de nuevo.',
  'error.sso_idp_unavailable':
    'No se puede contactar con el proveedor de identidad de su centro de contacto. Inténtelo de nuevo en unos minutos.',
  'error.sso_invalid_response':
    'No se pudo verificar la respuesta de su proveedor de identidad; no se inició la sesión.',
  'error.sso_unknown_idp': 'El inicio de sesión único no está configurado para su centro de contacto.',
  'error.sso_unknown_user':
    'Su proveedor de identidad inició su sesión, pero su centro de contacto no tiene un usuario para usted. Consulte con su administrador.',
  'error.sso_locked':
    'Su proveedor de identidad inició su sesión, pero su cuenta está bloqueada tras demasiados intentos fallidos. Inténtelo más tarde o consulte con su administrador.',
  'error.sso_disabled':
    'Su proveedor de identidad inició su sesión, pero su cuenta en su centro de contacto está desactivada. Consulte con su administrador.',
  'error.generic': 'No se pudo completar la solicitud.',
  'error.title': 'Hay un problema',
  'field.usernameHintTenant': 'Escríbalo como inquilino\\usuario, por ejemplo t100\\agent1.',
  'page.notSignedIn': 'Sin sesión iniciada',
  'page.notFound': 'Página no encontrada',
  'signedIn.as': 'Ha iniciado sesión como {name}.',
  'signedIn.none': 'Este navegador no tiene una sesión iniciada.',
  'action.signOut': 'Cerrar sesión',
  'notFound.body': 'No hay nada en esta dirección. Compruebe que no tenga errores de escritura.',
  'rule.min_length': 'al menos 8 caracteres',
  'rule.max_length': 'como máximo 256 caracteres',
  'rule.not_blank': 'no solo espacios',
  'rule.not_user_name': 'no su nombre de usuario',
  'rule.not_common': 'no una contraseña de uso común',
  'footer.notice':
    'Introduzca su contraseña solo en esta página. Su centro de contacto nunca se la pedirá por correo electrónico ni por teléfono.',
};

export const LOCALES = { en, de, fr, es } as const satisfies Record<string, Messages>;
export type Locale = keyof typeof LOCALES;
export const DEFAULT_LOCALE: Locale = 'en';
