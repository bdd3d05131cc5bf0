"""English demo content for the fictional Meridian Facial Nerve Center.

Plain data only: the demo loader reads these structures and builds pages from them. The clinic,
its people, addresses, phone numbers (NANP 555-01xx, reserved for fiction) and e-mail addresses
(example.org) are all invented. Rich text uses only p, ul, ol, li, strong, em, h2 and h3."""

# Site settings ------------------------------------------------------------------------------------

CLINIC = {
    "name": "Meridian Facial Nerve Center",
    "phone": "(555) 555-0100",
    "email": "appointments@example.org",
    "region": "CA",
    "country": "US",
    "online_payment_url": "https://payments.example.com/meridian",
    "patient_portal_url": "https://portal.example.com/meridian",
    "accessibility_manager_name": "Priya Castellane",
    "accessibility_manager_phone": "(555) 555-0142",
    "accessibility_manager_tty": "(555) 555-0143",
    "accessibility_manager_email": "access@example.org",
    # Language access and nondiscrimination: the relay service, and the state's 15 languages
    # (core.taglines) for the taglines, as no languages are chosen.
    "tty_relay": "711",
    "section_1557_coordinator_name": "Renata Holloway",
    "section_1557_coordinator_title": "Patient Rights Coordinator",
    "section_1557_coordinator_phone": "(555) 555-0147",
    "section_1557_coordinator_email": "rights@example.org",
    "section_1557_coordinator_address": (
        "Meridian Facial Nerve Center\n"
        "Attn: Section 1557 Coordinator\n"
        "1200 Harbor Point Avenue, Suite 400\n"
        "Bayview, CA 94000"
    ),
}

# Home page ----------------------------------------------------------------------------------------

HOME = {
    "title": "Home",
    "seo_title": "Facial paralysis and synkinesis care",
    "search_description": (
        "Specialist care for synkinesis, facial paralysis and Bell's palsy in Bayview, CA: facial "
        "retraining, botulinum toxin and facial reanimation surgery."
    ),
    "hero_heading": "Specialist care when your face no longer moves the way it should",
    "hero_text": (
        "Whether your face feels weak, tight or out of step with itself, we can help you "
        "understand why and find a plan that fits your life. Care is offered in English, "
        "Spanish and French."
    ),
    "hero_image_alt": "Abstract illustration of soft, flowing lines in calm teal and cream tones",
    "intro": (
        "<p>Meridian Facial Nerve Center is a facial plastic and reconstructive surgery practice "
        "with one focus: people whose facial nerve has been injured or weakened. We care for "
        "adults and children with facial paralysis, Bell's palsy and synkinesis, from the first "
        "weeks after a nerve injury to many years later.</p>"
        "<p>Losing easy control of your face can change how you eat, speak and show how you "
        "feel. It is normal to feel worried. We take time to listen, explain every option in "
        "plain words and move at a pace that feels right for you.</p>"
    ),
    "featured_heading": "Conditions we treat",
    "featured": ["synkinesis", "facial-paralysis", "bells-palsy"],
    "body": [
        ("heading", "How we care for you"),
        (
            "paragraph",
            "<ul>"
            "<li><strong>One team from start to finish.</strong> Surgeons and facial therapists "
            "work side by side and share a single plan for your care.</li>"
            "<li><strong>Gentle options first.</strong> Many people improve with therapy and "
            "injections alone. We suggest surgery only when it is likely to help you.</li>"
            "<li><strong>Progress you can see.</strong> With your permission, we take photos "
            "and short videos at each stage to track how your face changes.</li>"
            "<li><strong>Care in your language.</strong> We speak English, Spanish and French, "
            "and can arrange a free interpreter for other languages.</li>"
            "</ul>",
        ),
        ("heading", "Your first visit"),
        (
            "paragraph",
            "<p>A first consultation usually takes about an hour. Here is what happens:</p>"
            "<ol>"
            "<li>You tell us your story and what bothers you most.</li>"
            "<li>Your physician gently examines how your face moves.</li>"
            "<li>We explain what we found and talk through your options, their risks and "
            "realistic results.</li>"
            "<li>You leave with a written plan. You never have to decide anything on the "
            "day.</li>"
            "</ol>",
        ),
        (
            "callout",
            {
                "title": "Sudden weakness in your face?",
                "text": (
                    "<p>Facial weakness that comes on suddenly can be a sign of a stroke. "
                    "<strong>Call 911 right away</strong>, especially if you also have weakness "
                    "in an arm or leg, trouble speaking or a severe headache. Our clinic is not "
                    "an emergency service.</p>"
                ),
            },
        ),
    ],
}

# Index pages --------------------------------------------------------------------------------------

CONDITION_INDEX = {
    "title": "Conditions",
    "slug": "conditions",
    "intro": (
        "Facial nerve problems show up in different ways: a face that will not move, a face "
        "that moves when it should not, or a mix of both. Choose a condition to learn what "
        "causes it, how it is diagnosed and which treatments may help."
    ),
    "search_description": (
        "Conditions treated at Meridian Facial Nerve Center: synkinesis, facial paralysis and "
        "Bell's palsy. Symptoms, causes and treatments explained simply."
    ),
}

TREATMENT_INDEX = {
    "title": "Treatments",
    "slug": "treatments",
    "intro": (
        "From gentle exercises to reconstructive surgery, there are many ways to help a face "
        "move more freely and evenly. Most people start with the simplest options. Each page "
        "explains what a treatment involves, how long it takes and what its risks are."
    ),
    "search_description": (
        "Treatments for facial paralysis and synkinesis: facial retraining, botulinum toxin, "
        "selective neurectomy, nerve and muscle transfer surgery, medications."
    ),
}

PHYSICIAN_INDEX = {
    "title": "Our physicians",
    "slug": "physicians",
    "intro": (
        "Our physicians are facial plastic and reconstructive surgeons who focus on the facial "
        "nerve. Between them, they offer care in English, Spanish and French."
    ),
    "search_description": (
        "Meet the facial plastic and reconstructive surgeons at Meridian Facial Nerve Center, "
        "specialists in facial paralysis, synkinesis and facial reanimation."
    ),
}

# Locations ----------------------------------------------------------------------------------------

LOCATION_INDEX = {
    "title": "Locations",
    "slug": "locations",
    "intro": (
        "We see patients at two sites. Both have step-free access and staff who can arrange an "
        "interpreter. Choose a site for its hours, directions and the physicians who work there."
    ),
    "search_description": (
        "Where to find Meridian Facial Nerve Center: addresses, opening hours, directions, "
        "parking and accessibility of our Bayview and Eastbrook sites."
    ),
}

LOCATIONS = [
    {
        "slug": "bayview",
        "title": "Bayview",
        "search_description": (
            "Our Bayview site at 1200 Harbor Point Avenue: opening hours, directions by bus, "
            "light rail and car, parking and step-free access."
        ),
        "intro": (
            "Our main site, on the fourth floor of the Harbor Point medical building, with the "
            "surgical team, facial therapy rooms and the photo studio used to follow progress."
        ),
        "street_address": "1200 Harbor Point Avenue, Suite 400",
        "locality": "Bayview",
        "region": "CA",
        "postal_code": "94000",
        "country": "US",
        "latitude": "37.771200",
        "longitude": "-122.389400",
        "phone": "(555) 555-0100",
        "email": "appointments@example.org",
        # Structured, so that day names and times appear in each visitor's language.
        "opening_hours": [
            ("period", {"first_day": "0", "last_day": "3", "opens": "08:00", "closes": "17:00"}),
            ("period", {"first_day": "4", "last_day": "", "opens": "08:00", "closes": "15:00"}),
            ("period", {"first_day": "5", "last_day": "6", "closed": True}),
        ],
        "closures": [
            (
                "closure",
                {"first_day": "2026-12-24", "last_day": "2026-12-26", "note": "Winter holidays"},
            ),
            ("closure", {"first_day": "2027-01-01", "last_day": None, "note": "New Year's Day"}),
        ],
        "transit": (
            "Take the 14 or 22 bus to Harbor Point Avenue & Pier Street, then walk two minutes "
            "north. The Bayview light-rail station is a ten-minute level walk away."
        ),
        "car": (
            "From the harbor freeway, take the Pier Street exit and follow the signs for Harbor "
            "Point. The garage entrance is on Pier Street."
        ),
        "parking": (
            "The building's garage has four accessible spaces next to the lifts on level 1. We "
            "validate parking tickets at reception. A drop-off bay is at the main door."
        ),
        "step_free_entrance": True,
        "accessible_parking": True,
        "lift": True,
        "accessible_toilet": True,
        "hearing_loop": True,
        "interpreter_on_site": True,
        "access_notes": (
            "The main door opens automatically. Wheelchairs are available at reception. "
            "Consultation rooms have doors at least 90 cm (36 in) wide."
        ),
        "map_url": "https://www.openstreetmap.org/?mlat=37.7712&mlon=-122.3894#map=17/37.7712/-122.3894",
    },
    {
        "slug": "eastbrook",
        "title": "Eastbrook",
        "search_description": (
            "Our Eastbrook site at 85 Orchard Lane: opening hours, directions by bus, train a"
            "nd car, free parking and step-free access."
        ),
        "intro": (
            "A smaller clinic in the Eastbrook Medical Pavilion for consultations, follow-up "
            "visits, botulinum toxin treatment and facial retraining therapy."
        ),
        "street_address": "85 Orchard Lane, Second Floor",
        "locality": "Eastbrook",
        "region": "CA",
        "postal_code": "94010",
        "country": "US",
        "latitude": "37.702300",
        "longitude": "-122.281600",
        "phone": "(555) 555-0160",
        "email": "",
        "opening_hours": [
            ("period", {"first_day": "1", "last_day": "3", "opens": "09:00", "closes": "16:30"}),
            ("period", {"first_day": "0", "last_day": "", "closed": True}),
            ("period", {"first_day": "4", "last_day": "6", "closed": True}),
        ],
        "closures": [
            (
                "closure",
                {"first_day": "2026-12-24", "last_day": "2027-01-01", "note": "Winter holidays"},
            ),
        ],
        "transit": (
            "The 31 bus stops at Orchard Lane & Mill Road, across the street. Eastbrook train "
            "station is a fifteen-minute walk, or one stop on the 31."
        ),
        "car": "From Route 9, take exit 12 for Mill Road and turn left onto Orchard Lane.",
        "parking": (
            "Free parking behind the pavilion, with two accessible spaces by the rear entrance."
        ),
        "step_free_entrance": True,
        "accessible_parking": True,
        "lift": True,
        "accessible_toilet": True,
        "hearing_loop": False,
        "interpreter_on_site": False,
        "access_notes": (
            "Use the rear entrance for step-free access; the front steps have no ramp. An "
            "interpreter joins by video: tell us your language when you book."
        ),
        "map_url": "https://www.openstreetmap.org/?mlat=37.7023&mlon=-122.2816#map=17/37.7023/-122.2816",
    },
]

# Physicians ---------------------------------------------------------------------------------------

PHYSICIANS = [
    {
        "slug": "marisol-trevane",
        "title": "Dr Marisol Trevane",
        "honorific": "Dr",
        "name": "Marisol Trevane",
        "credentials": "MD, PhD",
        "job_title": "Founder and Medical Director, Facial Plastic and Reconstructive Surgery",
        "summary": (
            "Dr Marisol Trevane is a clinician-scientist who has cared for people with facial "
            "paralysis for more than twenty years. She founded Meridian Facial Nerve Center and "
            "is known for advances in facial reanimation surgery, including ways to reroute and "
            "retrain the facial nerve."
        ),
        "biography": (
            "<p>Dr Trevane has spent more than twenty years helping people regain movement and "
            "expression after a facial nerve injury. She founded Meridian Facial Nerve Center so "
            "that patients could find surgeons and facial therapists under one roof.</p>"
            "<p>As a clinician-scientist, she divides her time between patients and research. "
            "Her work has helped refine facial reanimation surgery, including ways to reroute a "
            "healthy nerve to the face and to retrain the brain to use it for a natural-looking "
            "smile.</p>"
            "<p>Dr Trevane treats synkinesis, long-standing facial paralysis and complex cases "
            "after tumor surgery or injury. She believes a good plan starts with listening to "
            "what matters most to you.</p>"
            "<p>She sees patients in English and Spanish.</p>"
        ),
        "languages": ["en", "es"],
        "locations": ["bayview", "eastbrook"],
        "accepting_new_patients": True,
        "offers_video_visits": True,
        "specialties": (
            "Facial reanimation surgery, Facial nerve rerouting and repair, Synkinesis, "
            "Facial paralysis, Bell's palsy recovery"
        ),
        "photo_alt": "Portrait placeholder for Dr Marisol Trevane",
        "search_description": (
            "Dr Marisol Trevane, MD, PhD, founder of Meridian Facial Nerve Center: facial "
            "reanimation, nerve rerouting and synkinesis care. Speaks English and Spanish."
        ),
    },
    {
        "slug": "julien-ashcombe",
        "title": "Dr Julien Ashcombe",
        "honorific": "Dr",
        "name": "Julien Ashcombe",
        "credentials": "MD",
        "job_title": "Facial Plastic and Reconstructive Surgeon",
        "summary": (
            "Dr Julien Ashcombe is a fellowship-trained facial plastic and reconstructive surgeon "
            "with a background in otolaryngology–head and neck surgery. His focus areas are "
            "craniofacial reconstruction, facial paralysis rehabilitation and aesthetic facial "
            "plastic surgery."
        ),
        "biography": (
            "<p>Dr Ashcombe trained first in otolaryngology–head and neck surgery, the specialty "
            "that cares for the ears, nose, throat and neck. He then completed a fellowship in "
            "facial plastic and reconstructive surgery.</p>"
            "<p>His work covers craniofacial reconstruction after injury or tumor removal, and "
            "rehabilitation for people living with facial paralysis. He also offers aesthetic "
            "facial plastic surgery, and often uses those techniques to restore balance, for "
            "example by lifting a heavy brow.</p>"
            "<p>He plans treatment in small, clear steps, so every patient knows what each step "
            "involves and what result is realistic.</p>"
            "<p>He sees patients in English and French.</p>"
        ),
        "languages": ["en", "fr"],
        "locations": ["bayview"],
        "accepting_new_patients": True,
        "offers_video_visits": False,
        "specialties": (
            "Craniofacial reconstruction, Facial paralysis rehabilitation, "
            "Aesthetic facial plastic surgery"
        ),
        "photo_alt": "Portrait placeholder for Dr Julien Ashcombe",
        "search_description": (
            "Dr Julien Ashcombe, MD, facial plastic surgeon: craniofacial reconstruction, facial "
            "paralysis rehabilitation and aesthetic surgery. Speaks English and French."
        ),
    },
]

# Treatments ---------------------------------------------------------------------------------------

TREATMENTS = [
    {
        "slug": "facial-retraining-therapy",
        "title": "Facial retraining therapy",
        "kind": "therapy",
        "summary": (
            "Specialist physical therapy that helps the muscles of the face work together "
            "again. It is gentle and is the first step for most people."
        ),
        "purpose": (
            "Facial retraining, also called neuromuscular retraining, teaches your facial "
            "muscles to move with more control and better coordination. It can ease tightness "
            "and reduce unwanted movements."
        ),
        "details": [
            {
                "kind": "techniques",
                "heading": "Techniques",
                "items": [
                    (
                        "Targeted facial exercises",
                        "Slow, small and controlled movements, practiced in front of a mirror, "
                        "that train one muscle group to move without pulling others along.",
                    ),
                    (
                        "Biofeedback",
                        "Small sensors on the skin show your muscle activity on a screen in real "
                        "time, so you can see what each muscle is doing and learn to control it.",
                    ),
                    (
                        "Gentle facial massage",
                        "Soft, slow massage and stretching of tight muscles to help them relax "
                        "and make everyday movements more comfortable.",
                    ),
                ],
            },
        ],
        "what_to_expect": (
            "<p>Your therapist first assesses how your face moves, then teaches you a few simple "
            "exercises. Most of the work is short daily practice at home. Progress is gradual, "
            "over weeks to months. Botulinum toxin injections can make the exercises "
            "easier.</p>"
        ),
        "duration": (
            "Sessions last about 45 to 60 minutes, usually every one to four weeks over several "
            "months, with short daily practice at home."
        ),
        "risks": (
            "<p>Facial retraining is very safe. Your muscles may feel tired at first. Forceful "
            "exercises can make unwanted movements worse, so your therapist will guide you "
            "toward slow, gentle practice. Results vary and depend on regular practice; your "
            "team will discuss what to expect at your consultation.</p>"
        ),
        "physicians": ["marisol-trevane", "julien-ashcombe"],
        "reviewed_by": "marisol-trevane",
        "image_alt": "Abstract illustration of gentle, wave-like lines in soft colors",
        "search_description": (
            "Facial retraining therapy for synkinesis and facial paralysis: targeted exercises, "
            "biofeedback and gentle massage to improve control and coordination."
        ),
    },
    {
        "slug": "botulinum-toxin-injections",
        "title": "Botulinum toxin injections",
        "kind": "therapy",
        "summary": (
            "Small injections of botulinum toxin (such as BOTOX) relax overactive facial muscles "
            "for a few months, reducing unwanted movement and improving balance."
        ),
        "purpose": (
            "Botulinum toxin blocks the nerve signals that tell an injected muscle to contract, "
            "so it temporarily weakens muscles that are working too hard. This can reduce "
            "involuntary movements and tightness and improve the symmetry of your face."
        ),
        "details": [
            {
                "kind": "procedure",
                "heading": "How the treatment is done",
                "items": [
                    (
                        "Planning",
                        "Your specialist watches how your face moves and marks the overactive "
                        "muscles.",
                    ),
                    (
                        "Injections",
                        "A trained specialist places small doses into each chosen muscle with a "
                        "very fine needle.",
                    ),
                    (
                        "Review",
                        "About two weeks later, we check the result and adjust the plan for next "
                        "time.",
                    ),
                ],
            },
            {
                "kind": "types",
                "heading": "Areas often treated",
                "items": [
                    (
                        "Around the eye",
                        "To reduce the eye narrowing or closing when you smile, eat or talk.",
                    ),
                    (
                        "Chin and neck",
                        "To ease a dimpled chin or tight neck bands that pull the mouth down.",
                    ),
                    (
                        "The unaffected side",
                        "Small doses on the stronger side can soften its pull and even out the "
                        "face.",
                    ),
                ],
            },
        ],
        "what_to_expect": (
            "<p>Injections are given in the clinic and feel like a brief pinch. You can go back "
            "to your day straight afterward. The effect starts after a few days and builds over "
            "about two weeks. Because it wears off, treatment is repeated and fine-tuned at each "
            "visit.</p>"
        ),
        "duration": (
            "An appointment takes about 20 to 30 minutes; the effect lasts about 3 to 4 months, "
            "so injections are repeated."
        ),
        "risks": (
            "<ul>"
            "<li>Bruising, swelling or tenderness where the needle went in.</li>"
            "<li>Too much weakness in a nearby muscle for a few weeks, such as a droopy eyelid "
            "or an uneven smile.</li>"
            "<li>A headache for a day or two.</li>"
            "<li>Rarely, an allergic reaction.</li>"
            "</ul>"
            "<p>Side effects wear off as the medicine does. Tell us if you are pregnant or have a "
            "nerve or muscle disease. Your team will discuss whether this treatment suits you at "
            "your consultation.</p>"
        ),
        "physicians": ["marisol-trevane", "julien-ashcombe"],
        "reviewed_by": "julien-ashcombe",
        "image_alt": "Abstract illustration of soft circles and curved lines in muted tones",
        "search_description": (
            "Botulinum toxin (BOTOX) injections for synkinesis and facial asymmetry: how they "
            "work, what to expect, how long they last and possible side effects."
        ),
    },
    {
        "slug": "selective-neurectomy",
        "title": "Selective neurectomy",
        "kind": "procedure",
        "summary": (
            "Surgery that cuts or removes the specific nerve branches driving unwanted facial "
            "movements, usually when therapy and injections have not been enough."
        ),
        "purpose": (
            "In synkinesis, some nerve branches send signals to the wrong muscles. Selective "
            "neurectomy cuts or removes those branches to reduce unwanted contractions and "
            "tightness, while keeping the branches that help you smile."
        ),
        "details": [
            {
                "kind": "procedure",
                "heading": "How the procedure is done",
                "items": [
                    (
                        "Anesthesia",
                        "You are fully asleep under general anesthesia for the whole operation.",
                    ),
                    (
                        "A discreet incision",
                        "A cut is made in a natural crease in front of the ear or under the jaw, "
                        "where the scar is easy to hide.",
                    ),
                    (
                        "Mapping the nerve",
                        "A gentle electrical stimulator shows which muscles each small branch "
                        "moves.",
                    ),
                    (
                        "Cutting selected branches",
                        "Only the branches that cause unwanted pulling are cut or removed.",
                    ),
                ],
            },
            {
                "kind": "types",
                "heading": "Types",
                "items": [
                    (
                        "Selective neurectomy alone",
                        "Only the chosen nerve branches are treated.",
                    ),
                    (
                        "With myectomy",
                        "A small part of an overactive muscle, often in the neck, is also "
                        "removed to release a downward pull.",
                    ),
                ],
            },
        ],
        "what_to_expect": (
            "<p>Most people go home the same day or the next morning. Swelling and bruising "
            "last one to two weeks. Facial retraining afterward helps you make the most of the "
            "result, and some people still benefit from smaller botulinum toxin doses.</p>"
        ),
        "duration": (
            "Surgery usually takes two to four hours; swelling settles over a few weeks and the "
            "result keeps improving for several months."
        ),
        "risks": (
            "<ul>"
            "<li>Swelling, bruising, bleeding or infection.</li>"
            "<li>Numbness or a change in feeling near the scar.</li>"
            "<li>Weakness in a muscle you did not want weakened.</li>"
            "<li>Tightness or unwanted movement coming back over time.</li>"
            "</ul>"
            "<p>Results vary. Your team will discuss whether this surgery is likely to help you "
            "at your consultation.</p>"
        ),
        "physicians": ["marisol-trevane", "julien-ashcombe"],
        "reviewed_by": "marisol-trevane",
        "image_alt": "Abstract illustration of branching, flowing lines on a pale background",
        "search_description": (
            "Selective neurectomy for synkinesis: surgery that cuts the nerve branches causing "
            "unwanted facial movement. Procedure, recovery and risks explained."
        ),
    },
    {
        "slug": "nerve-grafting-and-transfer",
        "title": "Nerve grafting and nerve transfer",
        "kind": "procedure",
        "summary": (
            "Surgery that uses a healthy nerve to repair or reroute the pathways to the facial "
            "muscles, to bring back movement after nerve damage."
        ),
        "purpose": (
            "When the facial nerve cannot carry signals, a healthy nerve can take over: either a "
            "nerve from elsewhere in the body bridges the gap, or a nearby motor nerve is "
            "redirected to give the facial muscles a new source of signals."
        ),
        "details": [
            {
                "kind": "types",
                "heading": "Types",
                "items": [
                    (
                        "Nerve graft",
                        "A short piece of a sensory nerve, often from the lower leg or neck, "
                        "bridges a gap in the facial nerve.",
                    ),
                    (
                        "Nerve transfer",
                        "A nearby working nerve, such as the nerve to a chewing muscle, is "
                        "connected to the facial nerve.",
                    ),
                    (
                        "Cross-face nerve graft",
                        "A graft carries signals from the healthy side of the face to the weak "
                        "side, supporting a more natural smile.",
                    ),
                ],
            },
        ],
        "what_to_expect": (
            "<p>Surgery is done under general anesthesia, often with one night in the hospital. "
            "Nerves regrow slowly, about a millimeter a day, so new movement takes months. "
            "Facial retraining is key: after a nerve transfer you may first smile by gently "
            "biting down, and over time it becomes more natural.</p>"
            "<p>These operations work best while the facial muscles are still healthy, usually "
            "within about a year or two of the injury.</p>"
        ),
        "duration": (
            "Surgery takes about three to six hours; new movement usually appears over three to "
            "twelve months and keeps improving for up to two years."
        ),
        "risks": (
            "<ul>"
            "<li>Numbness where a graft nerve was taken, such as a patch on the side of the "
            "foot.</li>"
            "<li>Bleeding, infection or scarring.</li>"
            "<li>Less movement than hoped, or new unwanted movements as the nerve regrows.</li>"
            "</ul>"
            "<p>Results vary. Your team will discuss which approach, if any, suits you at your "
            "consultation.</p>"
        ),
        "physicians": ["marisol-trevane"],
        "reviewed_by": "marisol-trevane",
        "image_alt": "Abstract illustration of two curved lines joining across a soft background",
        "search_description": (
            "Nerve grafting and nerve transfer for facial paralysis: how a healthy nerve is used "
            "to repair or reroute facial nerve pathways, recovery time and risks."
        ),
    },
    {
        "slug": "muscle-transfer-surgery",
        "title": "Muscle transfer surgery",
        "kind": "procedure",
        "summary": (
            "Surgery that moves a working muscle to the face and connects it to a nerve so it "
            "can contract and create a smile."
        ),
        "purpose": (
            "After long-standing paralysis, the original smile muscles may not be able to "
            "recover. Muscle transfer brings in a healthy muscle, connected to a nerve, to lift "
            "the corner of the mouth into a smile."
        ),
        "details": [
            {
                "kind": "types",
                "heading": "Types",
                "items": [
                    (
                        "Free muscle transfer",
                        "A thin strip of muscle from the inner thigh is moved to the cheek, and "
                        "its vessels and nerve are joined under a microscope.",
                    ),
                    (
                        "Temporalis muscle transfer",
                        "Part of a chewing muscle at the side of the head is repositioned to "
                        "reach the corner of the mouth.",
                    ),
                ],
            },
            {
                "kind": "procedure",
                "heading": "The main steps",
                "items": [
                    (
                        "Preparing the nerve",
                        "Sometimes a nerve graft is placed first, in an earlier operation.",
                    ),
                    (
                        "Placing the muscle",
                        "The muscle is attached between the cheekbone and the corner of the "
                        "mouth, in the line of a natural smile.",
                    ),
                    (
                        "Connecting the nerve",
                        "The muscle's nerve is joined to the chosen nerve so it can start to "
                        "contract.",
                    ),
                ],
            },
        ],
        "what_to_expect": (
            "<p>This is a major operation under general anesthesia, usually with a hospital stay "
            "of a few days. Your cheek will look swollen for several weeks. Movement starts "
            "months later, and facial retraining helps you learn to control your new "
            "smile.</p>"
        ),
        "duration": (
            "Surgery takes several hours; the first movement appears after about three to nine "
            "months and continues to improve for a year or more."
        ),
        "risks": (
            "<ul>"
            "<li>Bleeding, infection or fluid collecting under the skin.</li>"
            "<li>A scar where the muscle was taken, and a fuller cheek on the treated side.</li>"
            "<li>Rarely, the transferred muscle does not survive or does not move.</li>"
            "<li>A weaker or less even smile than hoped, sometimes needing a smaller follow-up "
            "operation.</li>"
            "</ul>"
            "<p>Results vary. Your team will talk through the benefits and risks at your "
            "consultation.</p>"
        ),
        "physicians": ["marisol-trevane", "julien-ashcombe"],
        "reviewed_by": "marisol-trevane",
        "image_alt": "Abstract illustration of a rising curved line on a warm, pale background",
        "search_description": (
            "Muscle transfer surgery for facial paralysis: moving a muscle to the face to restore "
            "a smile. Types, recovery, results and risks."
        ),
    },
    {
        "slug": "medications",
        "title": "Medications",
        "kind": "therapy",
        "summary": (
            "Medicines can play a supporting role in facial nerve care, from calming inflammation "
            "early in Bell's palsy to easing stiffness and spasm later on."
        ),
        "purpose": (
            "Anti-inflammatory medicines can reduce swelling of the facial nerve when "
            "inflammation is part of the problem. Muscle relaxants can ease stiffness and "
            "spasm."
        ),
        "details": [
            {
                "kind": "types",
                "heading": "Types",
                "items": [
                    (
                        "Anti-inflammatory medicines",
                        "Corticosteroids, such as a short course of prednisone, can reduce nerve "
                        "swelling. In Bell's palsy they work best when started within three "
                        "days.",
                    ),
                    (
                        "Antiviral medicines",
                        "Sometimes added when a virus may be involved, such as shingles.",
                    ),
                    (
                        "Muscle relaxants",
                        "Ease stiffness and spasm, usually alongside therapy.",
                    ),
                    (
                        "Eye lubricants",
                        "Drops by day and ointment at night keep the eye moist and protected.",
                    ),
                ],
            },
        ],
        "what_to_expect": (
            "<p>Your physician will ask about your health and any medicines you take, then "
            "explain how to take each one. Medicines work best as part of a wider plan.</p>"
        ),
        "duration": (
            "Steroid courses usually last about a week to ten days; other medicines are used for "
            "as long as they help."
        ),
        "risks": (
            "<ul>"
            "<li>Steroids can raise blood sugar and affect sleep and mood.</li>"
            "<li>Muscle relaxants can cause drowsiness; do not drive until you know how they "
            "affect you.</li>"
            "<li>Any medicine can, rarely, cause an allergic reaction.</li>"
            "</ul>"
            "<p>Your team will discuss the benefits and side effects with you at your "
            "consultation.</p>"
        ),
        "physicians": ["marisol-trevane", "julien-ashcombe"],
        "reviewed_by": "julien-ashcombe",
        "image_alt": "Abstract illustration of soft, overlapping shapes in pale blue and cream",
        "search_description": (
            "Medications for facial nerve conditions: steroids for Bell's palsy, muscle relaxants "
            "for stiffness and spasm, and eye care. Uses and side effects."
        ),
    },
]

# Conditions ---------------------------------------------------------------------------------------

CONDITIONS = [
    {
        "slug": "synkinesis",
        "title": "Synkinesis",
        "summary": (
            "Synkinesis is when one part of your face moves on its own as you try to move "
            "another part, such as your eye narrowing every time you smile. It can develop after "
            "a facial nerve injury, while the nerve is healing."
        ),
        "alternate_names": (
            "Post-facial palsy synkinesis, Aberrant facial nerve regeneration, Facial synkinesis"
        ),
        "symptoms": [
            (
                "Eye narrowing when smiling",
                "The eye on the affected side gets smaller or closes when you smile, talk or eat.",
            ),
            (
                "Mouth pulling when blinking",
                "The corner of your mouth twitches or pulls when you blink or close your eyes.",
            ),
            (
                "Tightness",
                "Your cheek, chin or neck feels tight, stiff or tired, even when your face is at "
                "rest.",
            ),
            (
                "Uneven expressions",
                "Your smile looks lopsided, with less control and some twitching.",
            ),
            (
                "Tears while eating",
                "Your eye waters when you eat, because nerve fibers meant for saliva reached the "
                "tear gland.",
            ),
        ],
        "causes": [
            (
                "Bell's palsy",
                "The most common cause. Some people develop synkinesis as the nerve recovers.",
            ),
            (
                "Facial injury",
                "An accident or blow that damages the facial nerve.",
            ),
            (
                "Surgery near the facial nerve",
                "Removing a tumor near the ear can injure the nerve.",
            ),
            (
                "Infections",
                "Shingles near the ear and other infections of the nerve.",
            ),
        ],
        "body": [
            ("heading", "Why synkinesis happens"),
            (
                "paragraph",
                "<p>The facial nerve carries thousands of tiny fibers, each leading to a "
                "particular muscle. After an injury they slowly regrow, and some reconnect to "
                "the wrong muscles, like crossed wires. A signal meant for your smile then also "
                "reaches your eye. This usually appears gradually, often three to six months "
                "after the injury.</p>",
            ),
            ("heading", "How synkinesis is diagnosed"),
            (
                "paragraph",
                "<p>Your physician will ask you to raise your eyebrows, close your eyes, smile "
                "and pucker, and will look for muscles that move together when they should not. "
                "With your permission, we record photos and a short video to measure progress. A "
                "short questionnaire shows which symptoms matter most to you.</p>",
            ),
            (
                "callout",
                {
                    "title": "Good to know",
                    "text": (
                        "<p>Synkinesis rarely goes away on its own, but it can usually be "
                        "improved. Many people see real change with therapy and injections "
                        "alone, without surgery.</p>"
                    ),
                },
            ),
        ],
        "treatments": [
            (
                "facial-retraining-therapy",
                "Usually the first step: gentle exercises and biofeedback help separate linked "
                "movements.",
            ),
            (
                "botulinum-toxin-injections",
                "Relaxes overactive muscles around the eye or in the neck, and often makes "
                "therapy easier.",
            ),
            (
                "medications",
                "Muscle relaxants may ease stiffness and spasm alongside therapy.",
            ),
            (
                "selective-neurectomy",
                "An option when tightness persists despite therapy and injections.",
            ),
            (
                "nerve-grafting-and-transfer",
                "For the few people whose smile stays very weak, a new nerve supply can add "
                "strength.",
            ),
            (
                "muscle-transfer-surgery",
                "Rarely needed; considered when the smile muscles can no longer be retrained.",
            ),
        ],
        "faq": [
            (
                "Is synkinesis permanent?",
                "<p>It usually does not go away on its own, but treatment can often reduce it a "
                "great deal.</p>",
            ),
            (
                "Why does my eye close when I smile?",
                "<p>As your nerve healed, some fibers meant for your smile reached the muscle "
                "around your eye, so it gets the signal too.</p>",
            ),
            (
                "Will exercises make it worse?",
                "<p>Forceful exercises can increase unwanted movement, which is why we teach "
                "slow, small, controlled movements instead.</p>",
            ),
            (
                "Will I need surgery?",
                "<p>Most people do not. Surgery is considered only when therapy and injections "
                "have not helped enough.</p>",
            ),
        ],
        "physicians": ["marisol-trevane", "julien-ashcombe"],
        "reviewed_by": "marisol-trevane",
        "image_alt": "Abstract illustration of intertwined curved lines in teal and cream",
        "search_description": (
            "Synkinesis: why the eye closes when you smile after Bell's palsy or a facial nerve "
            "injury. Symptoms, causes, diagnosis and treatment."
        ),
    },
    {
        "slug": "facial-paralysis",
        "title": "Facial paralysis",
        "summary": (
            "Facial paralysis is a loss of movement in the face, usually on one side but "
            "sometimes on both. It happens when the facial nerve, which controls the muscles of "
            "expression, is damaged or stops working properly."
        ),
        "alternate_names": "Facial palsy, Facial nerve paralysis, Facial weakness",
        "symptoms": [
            (
                "Drooping face",
                "The brow, cheek or corner of the mouth sags on the affected side.",
            ),
            (
                "Trouble closing the eye",
                "The eyelid does not close fully, so the eye can become dry, red or sore.",
            ),
            (
                "Difficulty eating and drinking",
                "Food may collect in the cheek and drinks may leak from the mouth.",
            ),
            (
                "Uneven smile",
                "Only one side of the mouth lifts when you smile, or neither side moves.",
            ),
        ],
        "causes": [
            (
                "Bell's palsy",
                "The most common cause of sudden weakness on one side of the face.",
            ),
            (
                "Tumors and their surgery",
                "Growths near the ear or skull base can press on the nerve, and removing them "
                "can injure it.",
            ),
            (
                "Injury",
                "A fracture of the skull or a deep cut to the face can damage the facial nerve.",
            ),
            (
                "Infection",
                "Shingles near the ear, Lyme disease and some ear infections can affect the nerve.",
            ),
            (
                "Present from birth",
                "Some babies are born with facial weakness from a congenital condition.",
            ),
        ],
        "body": [
            ("heading", "How facial paralysis is diagnosed"),
            (
                "paragraph",
                "<p>Your physician will examine how each part of your face moves and grade the "
                "weakness on a standard scale. Finding the cause shapes treatment, so you may "
                "have a hearing test, a scan or blood tests. Electrical tests can show how likely "
                "the nerve is to recover on its own.</p>",
            ),
            ("heading", "Why timing matters"),
            (
                "paragraph",
                "<p>Facial muscles can accept a new nerve supply only for a limited time, often "
                "about one to two years. Seeing a specialist early keeps more options open, but "
                "there are treatments even for paralysis that has lasted many years.</p>",
            ),
            (
                "callout",
                {
                    "title": "Protect your eye",
                    "text": (
                        "<p>If your eye does not close fully, use lubricating drops during the "
                        "day and ointment at night. <strong>Seek care the same day</strong> if "
                        "your eye becomes painful or red, or your vision changes.</p>"
                    ),
                },
            ),
        ],
        "treatments": [
            (
                "medications",
                "Early steroids may help when inflammation is the cause; eye drops protect the "
                "eye.",
            ),
            (
                "facial-retraining-therapy",
                "Helps you make the most of any movement that returns.",
            ),
            (
                "botulinum-toxin-injections",
                "Small doses on the stronger side can make the face look more even.",
            ),
            (
                "nerve-grafting-and-transfer",
                "Can restore movement when the nerve will not recover, ideally within one to "
                "two years.",
            ),
            (
                "muscle-transfer-surgery",
                "For long-standing paralysis, a new muscle can be brought in to create a smile.",
            ),
        ],
        "faq": [
            (
                "Will my face move again?",
                "<p>It depends on the cause and the damage. Many people recover some or all "
                "movement, and when the nerve cannot recover, surgery can often bring back a "
                "smile.</p>",
            ),
            (
                "My paralysis happened years ago. Is it too late?",
                "<p>No. Even long-standing paralysis can be treated, for example with muscle "
                "transfer surgery or injections that improve balance.</p>",
            ),
            (
                "Do you treat children?",
                "<p>Yes, and we plan their care together with their family.</p>",
            ),
        ],
        "physicians": ["marisol-trevane", "julien-ashcombe"],
        "reviewed_by": "julien-ashcombe",
        "image_alt": "Abstract illustration of calm horizontal lines in soft blue and sand tones",
        "search_description": (
            "Facial paralysis: loss of movement on one or both sides of the face. Causes, "
            "diagnosis and treatments including nerve and muscle transfer surgery."
        ),
    },
    {
        "slug": "bells-palsy",
        "title": "Bell's palsy",
        "summary": (
            "Bell's palsy is a sudden weakness on one side of the face, caused by a swollen or "
            "inflamed facial nerve. Most people recover fully, but some are left with weakness "
            "or go on to develop synkinesis."
        ),
        "alternate_names": "Idiopathic facial paralysis, Acute peripheral facial palsy",
        "symptoms": [
            (
                "Sudden one-sided weakness",
                "One side of the face droops, coming on over hours to two days.",
            ),
            (
                "Difficulty closing the eye",
                "The eyelid may not close fully, and the eye can feel dry or watery.",
            ),
            (
                "Drooling",
                "Saliva or drinks may leak from the corner of the mouth.",
            ),
            (
                "Pain behind the ear",
                "An ache behind the ear, often just before the weakness starts.",
            ),
            (
                "Changes in taste or hearing",
                "Food may taste different, and everyday sounds may seem louder on one side.",
            ),
        ],
        "causes": [
            (
                "Nerve swelling",
                "The nerve runs through a narrow bony channel; when it swells, it gets squeezed.",
            ),
            (
                "Viral infections",
                "A common virus, such as the cold sore virus, is thought to trigger the swelling.",
            ),
            (
                "Things that raise the risk",
                "Pregnancy, diabetes and a recent cold or flu are linked to a higher chance of "
                "Bell's palsy.",
            ),
        ],
        "body": [
            ("heading", "How Bell's palsy is diagnosed"),
            (
                "paragraph",
                "<p>There is no single test. A doctor examines your face and rules out other "
                "causes, such as a stroke, an ear infection, shingles or a tumor. Bell's palsy "
                "usually affects the whole of one side, including the forehead.</p>",
            ),
            ("heading", "What recovery usually looks like"),
            (
                "paragraph",
                "<p>Most people start to improve within about three weeks and recover fully "
                "within three to six months. A smaller group recover only partly, and some "
                "develop tightness or synkinesis. Specialist care can help with both.</p>",
            ),
            (
                "callout",
                {
                    "title": "Act quickly",
                    "text": (
                        "<p>Steroid medicines work best when started within three days of the "
                        "first symptoms. Sudden facial weakness can also be a stroke: "
                        "<strong>call 911 if you are not sure</strong>.</p>"
                    ),
                },
            ),
        ],
        "treatments": [
            (
                "medications",
                "Steroids started within three days improve the chance of full recovery.",
            ),
            (
                "facial-retraining-therapy",
                "Gentle exercises support recovery and can reduce tightness.",
            ),
            (
                "botulinum-toxin-injections",
                "If synkinesis develops, injections can relax the muscles that pull out of turn.",
            ),
        ],
        "faq": [
            (
                "How long does Bell's palsy last?",
                "<p>Most people recover within three to six months. For some, recovery is "
                "slower or incomplete.</p>",
            ),
            (
                "Is Bell's palsy contagious?",
                "<p>No. Even when a virus is involved, you cannot pass Bell's palsy on to "
                "someone else.</p>",
            ),
            (
                "Can it come back?",
                "<p>It is uncommon, but it can happen again, on the same side or the other.</p>",
            ),
            (
                "When should I see a specialist?",
                "<p>Ask for a specialist visit if:</p>"
                "<ul>"
                "<li>you see no improvement after about three weeks,</li>"
                "<li>your eye does not close, or</li>"
                "<li>your face feels tight or moves in unexpected ways as it recovers.</li>"
                "</ul>",
            ),
        ],
        "physicians": ["marisol-trevane", "julien-ashcombe"],
        "reviewed_by": "marisol-trevane",
        "image_alt": "Abstract illustration of a single flowing line over soft pastel colors",
        "search_description": (
            "Bell's palsy: sudden weakness on one side of the face. Symptoms, causes, recovery, "
            "early treatment and when to see a facial nerve specialist."
        ),
    },
]

# Accessibility, privacy and contact --------------------------------------------------------------

ACCESSIBILITY = {
    "title": "Accessibility",
    "slug": "accessibility",
    "intro": (
        "We want everyone to be able to use this website and our clinic with ease, whatever "
        "their abilities. If something gets in your way, please tell us and we will help."
    ),
    "statement": (
        "<h2>What we have done</h2>"
        "<p>We aim to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA. "
        "Pages use clear headings, plain language, image descriptions, strong color contrast "
        "and labeled forms. Everything works with a keyboard and when you zoom in.</p>"
        "<h2>Known limitations</h2>"
        "<ul>"
        "<li>The online payment and patient portal services are run by other companies, and "
        "we cannot fully control them.</li>"
        "<li>Some older documents may not be fully accessible; ask and we will send them in a "
        "format that works for you.</li>"
        "</ul>"
        "<h2>How we test</h2>"
        "<p>We check pages with automated tools, keyboard-only use, screen readers on "
        "computers and phones, and high zoom. We review this statement every year.</p>"
        "<h2>Feedback</h2>"
        "<p>If you find a barrier, please tell our Accessibility Manager which page and what "
        "happened. We reply within two business days.</p>"
    ),
    "accommodations": (
        "<p>If you have a vision, hearing, mobility or other impairment covered by the "
        "Americans with Disabilities Act (ADA) or similar laws, we are glad to arrange "
        "reasonable accommodations at no cost to you. For example, we can offer:</p>"
        "<ul>"
        "<li>letters, forms and care instructions in large print;</li>"
        "<li>sign language interpreters and spoken-language interpreters;</li>"
        "<li>help completing forms by phone before your visit;</li>"
        "<li>extra appointment time, or a quieter time of day;</li>"
        "<li>a welcome for your companion or service animal;</li>"
        "<li>step-free access from the street and parking to the clinic.</li>"
        "</ul>"
        "<p>Please contact our Accessibility Manager, ideally a few days before your "
        "visit.</p>"
    ),
    "search_description": (
        "Accessibility at Meridian Facial Nerve Center: our website accessibility statement and "
        "how to ask for interpreters, large print or help with forms."
    ),
}

PRIVACY = {
    "title": "Privacy notice",
    "slug": "privacy",
    "intro": (
        "This notice explains, in plain language, what information this website collects, why "
        "we collect it and what choices you have."
    ),
    "body": [
        (
            "callout",
            {
                "title": "Demo text",
                "text": (
                    "<p>This is sample text for a demonstration website. Meridian Facial Nerve "
                    "Center is fictional, and this notice is not legal advice.</p>"
                ),
            },
        ),
        ("heading", "What we collect"),
        (
            "paragraph",
            "<p>We collect only what you send us when you request a consultation: your name, "
            "contact details, preferred language and a short description of your concern.</p>",
        ),
        ("heading", "Why we collect it"),
        (
            "paragraph",
            "<p>We use it only to contact you and arrange your consultation. We never sell it or "
            "use it for advertising.</p>",
        ),
        ("heading", "Who can see it"),
        (
            "paragraph",
            "<p>Our scheduling team and the clinicians involved in your care can see it. Our "
            "website host stores it securely for us and may not use it for anything else.</p>",
        ),
        ("heading", "How long we keep it"),
        (
            "paragraph",
            "<p>If you do not become a patient, we delete your request within twelve months. If "
            "you do, it becomes part of your medical record, kept as long as the law "
            "requires.</p>",
        ),
        ("heading", "Cookies and tracking"),
        (
            "paragraph",
            "<p>This website uses no advertising cookies and no tracking tools, and loads nothing "
            "from other companies' servers. The only cookies it sets are the small ones that keep "
            "our request forms secure.</p>",
        ),
        ("heading", "What we count about visits"),
        (
            "paragraph",
            "<p>To learn which pages help people, this website counts visits on our own server, "
            "without cookies and without anything that could identify you: how many times each "
            "page was viewed, in which language and on which day, and whether visitors arrived "
            "from a search engine, another website or one of our own pages.</p>",
        ),
        (
            "paragraph",
            "<p>We also count the words people search for on this website, added up for each day, "
            "and the answers to “Was this page helpful?”. If you add a comment there, any e-mail "
            "address or phone number in it is hidden before it is stored. When you send a "
            "request, we note which of our pages you sent it from.</p>",
        ),
        (
            "paragraph",
            "<p>We never keep your IP address, details of your browser or the address of the page "
            "you came from, and nothing is shared with advertisers or analytics companies. If "
            "your browser sends the Global Privacy Control signal, your visits are not counted at "
            "all. Visit counts and search words are deleted after 25 months, and page feedback "
            "after two years.</p>",
        ),
        ("heading", "Your rights"),
        (
            "paragraph",
            "<p>You can ask to see, correct or delete your information where the law allows. "
            "Call or e-mail us to make a request. Please do not use the website form for urgent "
            "medical questions.</p>",
        ),
    ],
    "search_description": (
        "Privacy notice of the Meridian Facial Nerve Center website: what we collect when you "
        "request a consultation, who sees it, how long we keep it, your rights."
    ),
}

CONTACT = {
    "title": "Contact us",
    "slug": "contact",
    "intro": (
        "Have a question, or ready to book a consultation? Call us, send an e-mail or use the "
        "form. Our team speaks English, Spanish and French and will reply within one business "
        "day."
    ),
    "directions": (
        "<p>We are on the fourth floor of the Harbor Point building, at 1200 Harbor Point "
        "Avenue.</p>"
        "<ul>"
        "<li><strong>By bus:</strong> routes 12 and 40 stop at Harbor Point Avenue and Third "
        "Street, right across the street from the building.</li>"
        "<li><strong>By car:</strong> the garage under the building has accessible spaces by "
        "the elevators. We validate parking tickets.</li>"
        "<li><strong>Step-free access:</strong> the main entrance is level with the sidewalk, "
        "with automatic doors and a drop-off zone. Elevators go to Suite 400.</li>"
        "</ul>"
    ),
    "search_description": (
        "Contact Meridian Facial Nerve Center in Bayview, CA: phone, e-mail, opening hours and "
        "directions by bus or car, with step-free access."
    ),
}

CONSULTATION = {
    "title": "Schedule a consultation",
    "slug": "consultation",
    "search_description": (
        "Ask for a consultation at Meridian Facial Nerve Center. Tell us a little about your "
        "symptoms and we will call you back in English, Spanish or French."
    ),
    "intro": (
        "<p>Send us a few details and a member of our intake team will call you back, usually "
        "within one working day, to find a time that suits you.</p>"
        "<p>You do not need a referral. If you have one, you can tell us who referred you.</p>"
    ),
    "privacy_note": (
        "<p>We use your answers only to arrange your consultation. Only our intake team can see "
        "them, and we never share them for advertising.</p>"
    ),
    "thank_you_text": (
        "<p><strong>What happens next:</strong> a member of our intake team will call you, "
        "usually within one working day, at the time you chose. If we cannot reach you, we will "
        "try again and, if you gave one, send a short email asking you to call us.</p>"
    ),
}

# Legal notices (Section 1557 of the Affordable Care Act; the No Surprises Act) ----------------

DEMO_NOTICE = (
    "callout",
    {
        "title": "Demo text",
        "text": (
            "<p>This is sample text for a demonstration website. Meridian Facial Nerve "
            "Center is fictional, and this notice is not legal advice.</p>"
        ),
    },
)

LEGAL_NOTICES = [
    {
        "kind": "language_assistance",
        "title": "Language assistance",
        "slug": "language-assistance",
        "intro": (
            "Interpreters, documents in your language and aids for people with disabilities "
            "are free of charge at Meridian Facial Nerve Center."
        ),
        "search_description": (
            "Free interpreters, translated documents and aids for people with disabilities at "
            "Meridian Facial Nerve Center, and how to ask for them."
        ),
        "body": [
            DEMO_NOTICE,
            ("heading", "Free help with language"),
            (
                "paragraph",
                "<p>If English is not the language you are most at ease with, we provide, at "
                "no cost to you:</p>"
                "<ul>"
                "<li>qualified interpreters, in person, by phone or by video, for your "
                "appointments and phone calls;</li>"
                "<li>important documents, such as forms, consent forms and care instructions, "
                "written in your language;</li>"
                "<li>help reading or filling in any of our forms.</li>"
                "</ul>"
                "<p>You do not need to bring anyone to interpret for you. We do not ask "
                "children to interpret, except in an emergency.</p>",
            ),
            ("heading", "Aids and services for people with disabilities"),
            (
                "paragraph",
                "<p>We also provide free aids and services so that people with disabilities "
                "can communicate with us easily, for example:</p>"
                "<ul>"
                "<li>qualified sign language interpreters;</li>"
                "<li>written information in large print, audio, accessible electronic formats "
                "and other formats;</li>"
                "<li>captions, and calls through the relay service.</li>"
                "</ul>",
            ),
            ("heading", "How to ask"),
            (
                "paragraph",
                "<p>Call us, use the relay service or send us an e-mail, and tell us the "
                "language, aid or service you need. It helps if you tell us a few days before "
                "your appointment, but you can ask at any time, and we will also help you on "
                "the day.</p>",
            ),
        ],
    },
    {
        "kind": "nondiscrimination",
        "title": "Nondiscrimination notice",
        "slug": "nondiscrimination",
        "intro": (
            "Meridian Facial Nerve Center follows federal civil rights laws and treats every "
            "patient fairly."
        ),
        "search_description": (
            "Meridian Facial Nerve Center does not discriminate. How to file a grievance with "
            "our Section 1557 coordinator or a complaint with the Office for Civil Rights."
        ),
        "body": [
            DEMO_NOTICE,
            ("heading", "Our commitment"),
            (
                "paragraph",
                "<p>Meridian Facial Nerve Center complies with applicable federal civil rights "
                "laws, including Section 1557 of the Affordable Care Act. We do not "
                "discriminate on the basis of race, color, national origin (including limited "
                "English proficiency and primary language), sex (including pregnancy, sexual "
                "orientation, gender identity and sex characteristics), age or disability. We "
                "do not exclude people or treat them differently for any of these reasons.</p>"
                "<p>We offer free language assistance, and free aids and services for people "
                "with disabilities. Our language assistance notice, linked at the bottom of "
                "every page, explains how to ask for them.</p>",
            ),
            ("heading", "If you think we have discriminated against you"),
            (
                "paragraph",
                "<p>You can file a grievance with our Section 1557 coordinator, whose details "
                "are below: in person, by mail, by phone or by e-mail. If you need help to "
                "file it, the coordinator will help you. We will look into your grievance "
                "promptly and answer you in writing. Nobody will treat you worse for having "
                "filed one.</p>",
            ),
            ("heading", "Complaints to the U.S. government"),
            (
                "paragraph",
                "<p>You can also file a civil rights complaint with the U.S. Department of "
                "Health and Human Services, Office for Civil Rights:</p>"
                "<ul>"
                "<li>online, through its complaint portal at "
                '<a href="https://ocrportal.hhs.gov/ocr/portal/lobby.jsf">'
                "ocrportal.hhs.gov</a>;</li>"
                "<li>by mail to U.S. Department of Health and Human Services, 200 Independence "
                "Avenue SW, Room 509F, HHH Building, Washington, DC 20201;</li>"
                "<li>by phone at 1-800-368-1019 (TDD: 1-800-537-7697).</li>"
                "</ul>"
                "<p>Complaint forms are available at "
                '<a href="https://www.hhs.gov/ocr/complaints/index.html">'
                "hhs.gov/ocr/complaints</a>.</p>",
            ),
        ],
    },
    {
        "kind": "good_faith_estimate",
        "title": "Good Faith Estimate",
        "slug": "good-faith-estimate",
        "intro": (
            "If you have no health insurance, or will not use it, you have the right to know "
            "what your care is expected to cost before you receive it."
        ),
        "search_description": (
            "Paying for your care yourself? You have the right to a Good Faith Estimate of the "
            "expected charges, and to dispute a bill far above it."
        ),
        "body": [
            DEMO_NOTICE,
            ("heading", "Your right to an estimate"),
            (
                "paragraph",
                "<p>Under the No Surprises Act, health care providers must give patients who "
                "are uninsured, or who are not using their insurance, an estimate of the "
                "expected charges for their care. This is called a Good Faith Estimate.</p>"
                "<ul>"
                "<li>If you ask us for an estimate, we will give you one in writing within "
                "three business days.</li>"
                "<li>If you schedule care at least three business days ahead, we will send "
                "you an estimate within one business day, even if you did not ask for "
                "one.</li>"
                "<li>The estimate lists the items and services we expect to provide and what "
                "each is expected to cost, such as tests, medicines and facility fees.</li>"
                "</ul>",
            ),
            ("heading", "If your bill is higher than the estimate"),
            (
                "paragraph",
                "<p>If you are billed at least $400 more than your Good Faith Estimate for any "
                "one provider or facility, you can dispute the bill. You can start a dispute "
                "resolution process with the U.S. Department of Health and Human Services "
                "within 120 calendar days of the date on the original bill. Keep a copy of "
                "your estimate and of your bill.</p>"
                "<p>For questions, or to learn more about your rights, visit "
                '<a href="https://www.cms.gov/nosurprises">cms.gov/nosurprises</a> or call '
                "1-800-985-3059.</p>",
            ),
            ("heading", "How to ask"),
            (
                "paragraph",
                "<p>Tell our scheduling team that you are paying for your care yourself and "
                "would like a Good Faith Estimate. You can ask when you request a "
                "consultation, by phone or by e-mail.</p>",
            ),
        ],
    },
]

INTAKE_EMAIL = "intake@example.org"
