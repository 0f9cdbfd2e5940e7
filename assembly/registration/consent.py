"""The consent texts shown in full on the registration form (Ley 1581 de 2012).

The Spanish texts are the ones that bind: each person's record stores the version of the
Spanish text they accepted (``domain.fields.CONSENT_VERSION``; bump it when a text changes).
They are marked for the catalog, so an English page shows their translation
(``assembly/translations``) with the Spanish text beside it; a changed Spanish text is a new
catalog entry, untranslated until someone translates it again (the catalog test fails)."""

from flask_babel import get_locale
from flask_babel import gettext as _

from assembly.marks import N_

# --------------------------------------------------------------------------------------------
# Consent texts. Translate them (gettext), then format them with responsable="..." (the
# assembly's organisers).
# --------------------------------------------------------------------------------------------

HABEAS_DATA_TEXT = N_("""\
AUTORIZACIÓN PARA EL TRATAMIENTO DE DATOS PERSONALES

En cumplimiento de la Ley Estatutaria 1581 de 2012 y del Decreto 1377 de 2013 (compilado en \
el Decreto 1074 de 2015), autorizo de manera previa, expresa e informada a {responsable}, \
como responsable del tratamiento, para recolectar, almacenar, usar, circular y suprimir los \
datos personales que entrego en este formulario de registro, con estas finalidades:

1. Registrar mi inscripción y mi asistencia a la asamblea, y organizar mi participación en \
las mesas de trabajo.
2. Elaborar los informes de asistencia y participación que se entregan a los supervisores \
del convenio y a las entidades que lo suscriben, incluidas estadísticas agregadas por sexo, \
edad, pertenencia étnica, discapacidad, condición de víctima, condición migrante y población \
LGBTIQ+, para verificar que la oferta institucional llegue a quienes la necesitan.
3. Contactarme para hacer seguimiento a los compromisos del plan de trabajo acordados en la \
asamblea y para invitarme a otros espacios del mismo proceso.

Datos sensibles y de menores de edad. Las preguntas sobre pertenencia étnica, discapacidad, \
condición de víctima del conflicto armado, identidad de género y orientación sexual se \
refieren a datos sensibles: responderlas es facultativo, y puedo elegir «Prefiero no \
responder» o no marcarlas sin que eso impida mi registro. Los datos de niñas, niños y \
adolescentes solo se tratan con la autorización de su madre, padre o representante legal y \
respetando su interés superior.

Mis derechos como titular. Conocer, actualizar y rectificar mis datos personales; solicitar \
prueba de esta autorización; ser informado del uso que se les ha dado; presentar quejas ante \
la Superintendencia de Industria y Comercio por infracciones a la ley; revocar esta \
autorización y solicitar la supresión de mis datos cuando no exista un deber legal o \
contractual de conservarlos; y acceder gratuitamente a ellos.

Cómo ejercerlos. Puedo presentar consultas y reclamos ante {responsable}, por escrito o por \
los canales de atención que informe en la mesa de registro y en sus sitios oficiales. Las \
consultas se responden en un máximo de diez (10) días hábiles y los reclamos en un máximo de \
quince (15) días hábiles (artículos 14 y 15 de la Ley 1581 de 2012).

Nombres en un papel público. Si soy vocero o vocera de mi mesa, o responsable de un \
compromiso del plan de trabajo, mi nombre en ese papel figura en el acta de la asamblea y en \
el seguimiento de los compromisos, que son registros públicos del proceso, y se conserva allí \
aunque después pida suprimir mis datos; todo lo demás se suprime.

Mis datos no se venden ni se entregan a terceros con fines comerciales; se guardan con \
medidas de seguridad y solo durante el tiempo necesario para las finalidades descritas y \
para cumplir las obligaciones de reporte del convenio.
""")

PHOTO_CONSENT_TEXT = N_("""\
AUTORIZACIÓN DE USO DE IMAGEN

Autorizo a {responsable} a tomar fotografías y grabar video en los que yo aparezca durante la \
asamblea, y a usarlos sin fines comerciales en informes, memorias, piezas de comunicación y \
redes sociales institucionales del convenio. Esta autorización es voluntaria y gratuita, no \
es condición para registrarme ni para participar, y puedo revocarla en cualquier momento; \
desde entonces no se publicarán nuevas piezas con mi imagen.
""")


def responsible_party(assembly) -> str:
    """Who processes the data, for the habeas-data text: the agreement's signatories."""
    return f"las entidades del {assembly.agreement_line}".replace("del El ", "del ")


def texts(assembly) -> dict:
    """The consent texts in the page's language. On a page in another language they are a
    translation: ``binding`` then holds the Spanish texts, the ones that bind (the version
    stored with the person is theirs), shown beside it."""
    party = responsible_party(assembly)
    spanish = {
        "habeas_text": HABEAS_DATA_TEXT.format(responsable=party),
        "photo_text": PHOTO_CONSENT_TEXT.format(responsable=party),
    }
    if str(get_locale() or "es").startswith("es"):
        return {**spanish, "binding": None}
    responsible = _("las entidades del %(agreement)s", agreement=assembly.agreement_line)
    return {
        "habeas_text": _(HABEAS_DATA_TEXT).format(responsable=responsible),
        "photo_text": _(PHOTO_CONSENT_TEXT).format(responsable=responsible),
        "binding": spanish,
    }
