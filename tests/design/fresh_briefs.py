"""A fresh set of briefs, written like the ones a designer gets, with every piece of copy each
one asks for (as the design should set it, compared without regard to case). The engine was
not tuned on the sentences themselves; they measure copy coverage (see test_copy_fresh.py)."""

from __future__ import annotations

#: (prompt, width, height, the copy a designer would set)
FRESH: list[tuple[str, int, int, list[str]]] = [
    (
        "announcement for Copper Kettle Café: winter sale, 15% off all pastries with code WARM15",
        1080,
        1080,
        ["Copper Kettle Café", "Winter Sale", "15% off all pastries", "WARM15"],
    ),
    (
        "event poster for Northside Soul Weekender at The Velvet Lounge, Friday 9pm–2am, tickets from £12",
        800,
        1100,
        ["Northside Soul Weekender", "The Velvet Lounge", "Friday", "9pm–2am", "From £12"],
    ),
    (
        "business card: Dr Amir Patel, orthopaedic surgeon, +44 161 496 0123, www.patelortho.co.uk",
        1050,
        600,
        ["Dr Amir Patel", "Orthopaedic surgeon", "+44 161 496 0123", "www.patelortho.co.uk"],
    ),
    (
        "Black Friday banner for Orbit Audio, 40% off headphones, ends Sunday",
        1500,
        500,
        ["Black Friday", "Orbit Audio", "40% off headphones", "Ends Sunday"],
    ),
    (
        "poster for 'It's a Wonderful Night' charity gala, Dec 1 - Dec 24, Riverside Theatre",
        800,
        1100,
        ["It's a Wonderful Night", "Dec 1 - Dec 24", "Riverside Theatre"],
    ),
    (
        "birthday invitation for Grandpa Joe turning 80, Sunday May 10, 2pm at The Willow Barn",
        1050,
        750,
        ["Grandpa Joe", "Turning 80", "Sunday May 10", "2pm", "The Willow Barn"],
    ),
    (
        "flyer for Greenway Farmers Market, every Saturday 8am-1pm, 22 Mill Lane, free parking",
        800,
        1100,
        ["Greenway Farmers Market", "Every Saturday", "8am-1pm", "22 Mill Lane", "Free parking"],
    ),
    (
        "ticket for Midnight Cinema Club, Thursday Oct 30, 11pm, admit one, $8",
        1000,
        400,
        ["Midnight Cinema Club", "Thursday Oct 30", "11pm", "Admit one", "$8"],
    ),
    (
        "gift voucher for Solace Day Spa, £50, code SPA50, valid until June 30",
        1000,
        500,
        ["Solace Day Spa", "£50", "SPA50", "June 30"],
    ),
    (
        "certificate of achievement for Priya Nair, Advanced Pottery Course, March 2026",
        1400,
        1000,
        ["Certificate of Achievement", "Priya Nair", "Advanced Pottery Course", "March 2026"],
    ),
    (
        "wedding invitation for 'Lucy & Tom', Saturday 5 September 2026, 3pm, Hartwell House, RSVP by July 1",
        750,
        1050,
        ["Lucy & Tom", "Saturday 5 September 2026", "3pm", "Hartwell House", "RSVP by July 1"],
    ),
    (
        "email header for Brightside Books newsletter, autumn picks, 20% off for members",
        1200,
        400,
        ["Brightside Books", "20% off for members"],
    ),
    (
        "youtube thumbnail: '5 Mistakes Every New Runner Makes'",
        1280,
        720,
        ["5 Mistakes Every New Runner Makes"],
    ),
    (
        "podcast cover art for 'The Slow Kitchen', hosted by Mara Lind",
        1400,
        1400,
        ["The Slow Kitchen", "Mara Lind"],
    ),
    (
        "app icon for Tidewater weather app",
        1024,
        1024,
        [],
    ),
    (
        "monogram for Eleanor Grace Whitfield",
        800,
        800,
        ["Eleanor Grace Whitfield"],
    ),
    (
        "instagram post for Peak Fitness: new year offer, first month from $29, join today",
        1080,
        1080,
        ["Peak Fitness", "From $29", "Join today"],
    ),
    (
        "poster for the Westbrook Science Fair, April 18–19, Westbrook High School, free admission",
        800,
        1100,
        ["Westbrook Science Fair", "April 18–19", "Free admission"],
    ),
    (
        "business card for Sofia Marquez, interior designer, sofia@marquezstudio.com, 555-201-7788",
        1050,
        600,
        ["Sofia Marquez", "Interior designer", "sofia@marquezstudio.com", "555-201-7788"],
    ),
    (
        "banner for Harbour Lights Festival, July 4-6, live music, food trucks, harbourlights.org",
        1500,
        500,
        ["Harbour Lights Festival", "July 4-6", "harbourlights.org"],
    ),
    (
        "social post for Bloom & Stem florist, Mother's Day bouquets from $35, order online",
        1080,
        1080,
        ["Bloom & Stem", "From $35", "Order online"],
    ),
    (
        "poster for Luna's 30th birthday party, Saturday 8pm, The Rooftop Bar, dress code: sparkle",
        800,
        1100,
        ["Luna's", "30th birthday", "Saturday", "8pm", "The Rooftop Bar"],
    ),
    (
        "logo for Ironclad Roofing, tagline: built for every storm, since 1998",
        800,
        800,
        ["Ironclad Roofing", "Built for every storm", "Since 1998"],
    ),
    (
        "menu card for Casa Verde Taqueria, Taco Tuesday, 2 tacos for $5, 5pm–10pm",
        800,
        1100,
        ["Casa Verde Taqueria", "Taco Tuesday", "$5", "5pm–10pm"],
    ),
    (
        "flyer for a yard sale at 14 Birch Road, Saturday June 13, 9am to noon",
        800,
        1100,
        ["Yard Sale", "14 Birch Road", "Saturday June 13", "9am to noon"],
    ),
    (
        "cyber monday social post for Pixelwave, 50% off all plans with code CYBER50, today only",
        1080,
        1080,
        ["Cyber Monday", "Pixelwave", "50% off all plans", "CYBER50", "Today only"],
    ),
    (
        "concert ticket for 'Echoes of Spring', Greenfield Symphony, May 3, 7:30 pm, Row C",
        1000,
        400,
        ["Echoes of Spring", "Greenfield Symphony", "May 3", "7:30 pm"],
    ),
    (
        "retirement party invitation for Margaret Okafor, 35 years of service, Friday June 19, 6pm",
        1050,
        750,
        ["Margaret Okafor", "35 years", "Friday June 19", "6pm"],
    ),
    (
        "poster for Open Studio Night at Foundry Arts, Thursday 6-9pm, 8 Canal Street",
        800,
        1100,
        ["Open Studio Night", "Foundry Arts", "Thursday", "6-9pm", "8 Canal Street"],
    ),
    (
        "banner for Summit Cycles spring sale, up to 30% off e-bikes, call 0117 496 0555",
        1500,
        500,
        ["Summit Cycles", "Spring Sale", "Up to 30% off", "0117 496 0555"],
    ),
    (
        "video thumbnail for 'How I Built a Tiny House for $10,000'",
        1280,
        720,
        ["How I Built a Tiny House for $10,000"],
    ),
    (
        "restaurant voucher for Olive & Thyme, dinner for two, code DINE2",
        1000,
        500,
        ["Olive & Thyme", "Dinner for two", "DINE2"],
    ),
    (
        "invitation to the Hawthorne Alumni Reunion, Saturday Nov 7, 7pm, Hawthorne Hall, RSVP",
        1050,
        750,
        ["Hawthorne Alumni Reunion", "Saturday Nov 7", "7pm", "Hawthorne Hall", "RSVP"],
    ),
    (
        "poster for Kite Day at Meadow Park, Sunday April 26, 11am–4pm, all ages welcome",
        800,
        1100,
        ["Kite Day", "Meadow Park", "Sunday April 26", "11am–4pm"],
    ),
]
